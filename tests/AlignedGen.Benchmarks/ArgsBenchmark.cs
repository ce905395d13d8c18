using System.Diagnostics;
using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Benchmarks;

/// <summary>
/// Issue 4's ARGS benchmark on stories260K + rm-llama-cached, 32 prompts × 64 new tokens, k = 10: greedy without
/// reward; ARGS (fast path) at batch 1 and 16; the reference code's structure (prompt prefilled k times in the RM,
/// one prompt at a time); a full recompute (on a subset, per-token cost); and the uncached sequence-classification path.
/// </summary>
public static class ArgsBenchmark
{
    public static int Run(BenchmarkArgs args)
    {
        int promptCount = args.Quick ? 8 : 32;
        const int newTokens = 64, k = 10;
        const double w = 1.0;
        var prompts = PromptSet.Read(args.Data("story-prompts.jsonl"), promptCount);
        using var lm = OnnxCausalLanguageModel.Load(args.Model("stories260K"));
        using var rm = (CachedDecoderRewardModel)RewardModelLoader.FromFolder(args.Model("rm-llama-cached"));
        var requests = GenerationRequest.FromPrompts(prompts);
        var args10 = new ArgsStrategy(new ArgsOptions(topK: k, weight: w));
        Console.WriteLine($"args: stories260K + rm-llama-cached, {prompts.Length} prompts x up to {newTokens} new tokens, k={k}, w={w}, CPU, {Environment.ProcessorCount} cores");

        var rows = new List<(string name, int batch, long tokens, double secs, string note)>();
        void Measure(string name, int batch, Func<IReadOnlyList<IReadOnlyList<int>>> run, string note = "")
        {
            run(); // warm-up on the same work keeps caches and arenas equal across variants
            var sw = Stopwatch.StartNew();
            var outputs = run();
            sw.Stop();
            rows.Add((name, batch, outputs.Sum(o => (long)o.Count), sw.Elapsed.TotalSeconds, note));
        }

        IReadOnlyList<IReadOnlyList<int>>? fast16 = null;
        Measure("greedy (no reward)", 16, () => Ids(new TextGenerator(lm).Generate(requests, SamplingStrategy.Greedy, new GenerationOptions(newTokens, 16))));
        Measure("ARGS fast (cached RM)", 1, () => Ids(new TextGenerator(lm, rm).Generate(requests, args10, new GenerationOptions(newTokens, 1))));
        Measure("ARGS fast (cached RM)", 16, () => fast16 = Ids(new TextGenerator(lm, rm).Generate(requests, args10, new GenerationOptions(newTokens, 16))));
        IReadOnlyList<IReadOnlyList<int>>? reference = null;
        Measure("reference structure (prefill k times, 1 prompt)", 1, () => reference = prompts.Select(p => ReferenceStructure(lm, rm, lm.Tokenizer.Encode(p), k, w, newTokens)).ToArray());
        Measure("cost floor: LM step b16 + RM step over 16x10 rows, nothing else", 16, () => Floor(lm, rm, prompts.Select(p => lm.Tokenizer.Encode(p)).ToArray(), k, newTokens));
        int subset = Math.Min(4, prompts.Length);
        using (var seqcls = RewardModelLoader.FromFolder(args.Model("rm-llama-seqcls")))
        {
            var few = GenerationRequest.FromPrompts(prompts.Take(8));
            Measure("ARGS, seqcls RM (every candidate rescored)", 8, () => Ids(new TextGenerator(lm, seqcls).Generate(few, args10, new GenerationOptions(newTokens, 8))), "first 8 prompts only");
        }
        Measure("full recompute (plain)", 1, () => prompts.Take(subset).Select(p => FullRecompute(lm, rm, lm.Tokenizer.Encode(p), k, w, newTokens)).ToArray(), $"first {subset} prompts only");

        var table = new ResultTable("variant", "batch", "tokens", "seconds", "ms/token", "x greedy b16 per token");
        double greedyPerToken = rows[0].secs / rows[0].tokens;
        foreach (var r in rows)
            table.Add(r.name + (r.note.Length > 0 ? $" ({r.note})" : ""), r.batch, r.tokens, r.secs, 1000 * r.secs / r.tokens, $"{r.secs / r.tokens / greedyPerToken:F2}x");
        Console.WriteLine(table);
        double refPerToken = rows[3].secs / rows[3].tokens, fastPerToken = rows[2].secs / rows[2].tokens, floorPerToken = rows[4].secs / rows[4].tokens;
        Console.WriteLine($"ARGS fast b16 vs its cost floor (one LM step over 16 rows + one RM step over 160 rows per token): {fastPerToken / floorPerToken:F2}x");
        Console.WriteLine($"ARGS fast b16 vs greedy b16 per token: {fastPerToken / greedyPerToken:F2}x (target <= 2.5x)");
        Console.WriteLine($"ARGS fast b16 vs reference structure: {refPerToken / fastPerToken:F2}x faster (target >= 3x)");
        int same = fast16!.Zip(reference!).Count(p => p.First.SequenceEqual(p.Second));
        Console.WriteLine($"fast b16 and reference structure chose the same tokens on {same}/{prompts.Length} prompts");
        return 0;
    }

    private static IReadOnlyList<IReadOnlyList<int>> Ids(IReadOnlyList<GenerationResult> results) => results.Select(r => r.TokenIds).ToArray();

    /// <summary>The ARGS reference code's structure: one prompt, RM prefilled with k copies of the prompt, chosen RM row copied k times each step.</summary>
    public static IReadOnlyList<int> ReferenceStructure(ICausalLanguageModel lm, CachedDecoderRewardModel rm, IReadOnlyList<int> prompt, int k, double w, int newTokens)
    {
        using var lmState = lm.CreateState();
        using var rmState = rm.CreateState();
        lmState.Extend(new[] { prompt });
        rmState.Extend(Enumerable.Repeat(prompt, k).ToArray());
        var candidates = new int[k];
        var response = new List<int>();
        for (int t = 0; t < newTokens; t++)
        {
            TokenSampler.TopK(lmState.Output(0), candidates);
            rmState.Step(candidates);
            int best = 0;
            float bestScore = float.NegativeInfinity;
            for (int j = 0; j < k; j++)
            {
                float s = (float)(lmState.Output(0)[candidates[j]] + w * rmState.Output(j)[0]);
                if (s > bestScore) { bestScore = s; best = j; }
            }
            int token = candidates[best];
            if (lm.Config.EosTokenIds.Contains(token)) break;
            response.Add(token);
            rmState.SelectRows(Enumerable.Repeat(best, k).ToArray());
            lmState.Step(new[] { token });
        }
        return response;
    }

    /// <summary>
    /// The cost floor of one ARGS step at a batch size: one LM step over the rows and one RM step over the rows × k
    /// candidate rows, with no top-k, no choice, no cache selection (the candidates are just the LM's argmax repeated).
    /// Prompts are prefilled as ARGS prefills them (LM once, RM once then expanded k-fold).
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<int>> Floor(ICausalLanguageModel lm, CachedDecoderRewardModel rm, IReadOnlyList<int>[] prompts, int k, int newTokens, int batch = 16)
    {
        var outputs = new List<IReadOnlyList<int>>();
        foreach (var chunk in prompts.Chunk(batch))
        {
            using var lmState = lm.CreateState();
            using var rmState = rm.CreateState();
            lmState.Extend(chunk);
            // Prefill each prompt once and expand it k-fold, as ARGS's cached scorer does: the floor differs in the steps only.
            rmState.Extend(chunk);
            rmState.SelectRows(Enumerable.Range(0, chunk.Length).SelectMany(i => Enumerable.Repeat(i, k)).ToArray());
            var tokens = new int[chunk.Length];
            var candidates = new int[chunk.Length * k];
            var generated = chunk.Select(_ => new List<int>()).ToArray();
            for (int t = 0; t < newTokens; t++)
            {
                for (int i = 0; i < chunk.Length; i++)
                {
                    tokens[i] = TokenSampler.ArgMax(lmState.Output(i));
                    generated[i].Add(tokens[i]);
                    for (int j = 0; j < k; j++) candidates[i * k + j] = tokens[i];
                }
                rmState.Step(candidates);
                lmState.Step(tokens);
            }
            outputs.AddRange(generated);
        }
        return outputs;
    }

    /// <summary>ARGS with no cache at all: LM over the whole sequence each step, RM over each whole candidate sequence.</summary>
    public static IReadOnlyList<int> FullRecompute(ICausalLanguageModel lm, CachedDecoderRewardModel rm, IReadOnlyList<int> prompt, int k, double w, int newTokens)
    {
        var response = new List<int>();
        var candidates = new int[k];
        for (int t = 0; t < newTokens; t++)
        {
            var seq = prompt.Concat(response).ToArray();
            float[] logits;
            using (var s = lm.CreateState()) { s.Extend(new[] { seq }); logits = s.Output(0).ToArray(); }
            TokenSampler.TopK(logits, candidates);
            int best = 0;
            float bestScore = float.NegativeInfinity;
            for (int j = 0; j < k; j++)
            {
                using var r = rm.CreateState();
                r.Extend(new[] { seq.Append(candidates[j]).ToArray() });
                float score = (float)(logits[candidates[j]] + w * r.Output(0)[0]);
                if (score > bestScore) { bestScore = score; best = j; }
            }
            if (lm.Config.EosTokenIds.Contains(candidates[best])) break;
            response.Add(candidates[best]);
        }
        return response;
    }
}
