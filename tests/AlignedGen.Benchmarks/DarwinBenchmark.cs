using System.Diagnostics;
using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using AlignedGen.Tests.Decoding;

namespace AlignedGen.Benchmarks;

/// <summary>
/// Issue 5's DARWIN benchmark on stories260K + rm-llama-cached: model-token evaluations (LM and reward-model token
/// positions, padding included) and wall time of AlignedGen's DARWIN against an implementation with the authors' code's
/// structure (DarwinReferenceStructure: re-prefill instruction + state every segment, reward model over full sequences,
/// one prompt at a time), same seeds, same outputs. Two cases: the model's own mutation (stories260K cannot write
/// instructions, so every beam keeps the instruction: replacement-only) and fixed story rewrites (distinct instructions,
/// so replaced beams are re-prefilled).
/// </summary>
public static class DarwinBenchmark
{
    private sealed class StoryRewrites : IInstructionMutator
    {
        public IReadOnlyList<IReadOnlyList<DarwinMutation>> Mutate(DecodingContext context, IReadOnlyList<string> parents, int count, int rounds, int iteration, CancellationToken cancellationToken)
            => parents.Select(p => (IReadOnlyList<DarwinMutation>)Enumerable.Range(0, rounds).Select(r => new DarwinMutation
            {
                GeneratedText = "",
                Parsed = true,
                Instructions = Enumerable.Range(0, count).Select(k => Rewrite(p, r * count + k)).ToArray(),
            }).ToArray()).ToArray();

        private static string Rewrite(string p, int k) => (k % 5) switch
        {
            0 => p,
            1 => p + " It was a sunny day.",
            2 => p.Replace("Once upon a time, ", "One day, ", StringComparison.Ordinal),
            3 => p + " Everyone was happy.",
            _ => "Once upon a time, in a small town. " + p,
        };
    }

    public static int Run(BenchmarkArgs args)
    {
        int promptCount = args.Quick ? 4 : 16;
        const int newTokens = 128;
        var prompts = PromptSet.Read(args.Data("story-prompts.jsonl"), promptCount);
        using var lm = OnnxCausalLanguageModel.Load(args.Model("stories260K"));
        using var rm = OnnxCachedRewardModel.Load(args.Model("rm-llama-cached"));
        var requests = GenerationRequest.FromPrompts(prompts);
        Console.WriteLine($"darwin: stories260K + rm-llama-cached, {prompts.Length} prompts, up to {newTokens} new tokens, the paper's settings " +
                          $"(M = 5 beams, m = 40, keep 3, 3 iterations, T = 0.7, top-k 40), CPU, {Environment.ProcessorCount} cores");

        var table = new ResultTable("instructions", "variant", "LM tokens", "RM tokens", "total", "x reference", "seconds", "same outputs");
        int rc = 0;
        foreach (var (label, mutator) in new (string, IInstructionMutator?)[] { ("model mutation (falls back: replacement-only)", null), ("fixed rewrites (distinct)", new StoryRewrites()) })
        {
            var options = new DarwinOptions(mutator: mutator);
            var generation = new GenerationOptions(maxNewTokens: newTokens, batchSize: 16, seed: 7);
            var reference = new DarwinReferenceStructure(lm, rm, options, generation);
            var sw = Stopwatch.StartNew();
            var answers = prompts.Select((p, i) => reference.Run(p, i)).ToArray();
            double refSeconds = sw.Elapsed.TotalSeconds;
            long refTotal = reference.LmTokenPositions + reference.RewardTokenPositions;
            table.Add(label, "reference structure (1 prompt at a time)", reference.LmTokenPositions, reference.RewardTokenPositions, refTotal, "1.00", refSeconds, "-");
            foreach (int batch in new[] { 1, 16 })
            {
                var generator = new TextGenerator(lm, rm);
                sw.Restart();
                var ours = generator.Generate(requests, new DarwinStrategy(options), new GenerationOptions(newTokens, batch, seed: 7));
                double seconds = sw.Elapsed.TotalSeconds;
                double lmTokens = ours.Sum(r => r.Cost.LmTokens), rmTokens = ours.Sum(r => r.Cost.RewardTokens);
                int same = ours.Zip(answers).Count(x => x.First.TokenIds.SequenceEqual(x.Second.TokenIds));
                double ratio = (lmTokens + rmTokens) / refTotal;
                table.Add(label, $"AlignedGen DARWIN, batch {batch}", lmTokens, rmTokens, lmTokens + rmTokens, $"{ratio:F2}", seconds, $"{same}/{prompts.Length}");
                if (same != prompts.Length) rc = 1;
            }
        }
        Console.WriteLine(table);
        Console.WriteLine("Target: AlignedGen's model-token evaluations <= 1/3 of the reference structure's, with the same outputs.");
        return rc;
    }
}
