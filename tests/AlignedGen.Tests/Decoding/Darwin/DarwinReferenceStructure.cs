using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Tests.Decoding;

/// <summary>
/// DARWIN with the authors' code's cost structure, written independently of the library's DarwinSearch: one prompt at a
/// time; every 40-token segment re-prefills instruction + state for the running beams (finished rows stay in the batch
/// as padding until the segment ends, as Hugging Face generate does); the reward model rescans every beam's full
/// sequence at every replacement point and once more at the end. It follows the library's documented seeding contract
/// (DarwinSeeds) and decision rules, so with the same seed it must return the same responses — at its own cost.
/// Shared by the DARWIN tests and the benchmark (linked into AlignedGen.Benchmarks).
/// </summary>
public sealed class DarwinReferenceStructure
{
    private readonly ICausalLanguageModel _lm;
    private readonly OnnxCachedRewardModel _rm;
    private readonly DarwinOptions _options;
    private readonly GenerationOptions _generation;

    public DarwinReferenceStructure(ICausalLanguageModel lm, OnnxCachedRewardModel rm, DarwinOptions options, GenerationOptions generation)
    {
        if (generation.Seed is null) throw new ArgumentException("The reference needs a fixed seed.", nameof(generation));
        if (generation.StopStrings.Count > 0 || options.MutationChatTemplate is not null || generation.ChatTemplate is not null)
            throw new NotSupportedException("The reference structure covers raw prompts without stop strings.");
        _lm = lm;
        _rm = rm;
        _options = options;
        _generation = generation;
    }

    /// <summary>LM token positions evaluated (padding included).</summary>
    public long LmTokenPositions { get; private set; }
    /// <summary>Reward-model token positions evaluated (padding included).</summary>
    public long RewardTokenPositions { get; private set; }

    /// <summary>The answer for one prompt.</summary>
    public sealed record Answer(IReadOnlyList<int> TokenIds, float Reward, IReadOnlyList<IReadOnlyList<string>> Instructions);

    /// <summary>Runs DARWIN on prompt number <paramref name="index"/> of the run (its position decides its seed).</summary>
    public Answer Run(string prompt, int index)
    {
        int requestSeed = SeedMixer.Mix(_generation.Seed!.Value, index);
        int context = _lm.Config.ContextLength;
        var promptIds = Encode(prompt);
        var seed = Generate(new[] { promptIds }, new[] { Math.Min(_generation.MaxNewTokens, context - promptIds.Count) },
            new[] { new Random(SeedMixer.Mix(requestSeed, 0, 0)) }, int.MaxValue)[0];
        float seedReward = Score(new[] { Concat(promptIds, seed.Tokens) })[0];
        var archive = new List<(string Instruction, float Reward)> { (prompt, seedReward) };
        var control = new Random(SeedMixer.Mix(requestSeed, 0x44415257));
        (IReadOnlyList<int> Tokens, float Reward) best = (seed.Tokens, seedReward);
        var allInstructions = new List<IReadOnlyList<string>>();
        int beamsPer = _options.Beams, keep = _options.Keep;

        for (int iteration = 1; iteration <= _options.Iterations; iteration++)
        {
            var parent = archive[control.Next(archive.Count)];
            var instructions = !_options.Mutate ? Enumerable.Repeat(parent.Instruction, beamsPer).ToList()
                : _options.Mutator is { } custom ? CustomMutate(custom, prompt, parent.Instruction, requestSeed, iteration)
                : Mutate(parent.Instruction, requestSeed, iteration);
            allInstructions.Add(instructions);
            var ids = instructions.Select(Encode).ToArray();
            var limit = ids.Select(x => Math.Min(_generation.MaxNewTokens, context - x.Count)).ToArray();
            var beams = Enumerable.Range(0, beamsPer).Select(_ => new Beam()).ToArray();
            var counts = new int[beamsPer];
            int beamSeed = SeedMixer.Mix(requestSeed, 2, iteration);
            while (beams.Any(b => !b.Finished))
            {
                var running = Enumerable.Range(0, beamsPer).Where(b => !beams[b].Finished).ToArray();
                var outs = Generate(running.Select(b => Concat(ids[b], beams[b].Tokens)).ToArray(), running.Select(b => limit[b] - beams[b].Tokens.Count).ToArray(),
                    running.Select(b => new Random(SeedMixer.Mix(beamSeed, b, beams[b].Tokens.Count))).ToArray(), _options.ReplacementPeriod);
                for (int i = 0; i < running.Length; i++)
                {
                    var beam = beams[running[i]];
                    beam.Tokens.AddRange(outs[i].Tokens);
                    beam.Finished = outs[i].Finished;
                }
                var scores = Score(beams.Select(b => Concat(promptIds, b.Tokens)).ToArray());
                var top = Enumerable.Range(0, beamsPer).OrderByDescending(b => scores[b]).ThenBy(b => b).Take(keep).ToArray();
                foreach (var t in top) counts[t]++;
                for (int b = 0; b < beamsPer; b++)
                {
                    if (beams[b].Finished || top.Contains(b)) continue;
                    var source = beams[top[control.Next(top.Length)]];
                    beams[b].Tokens = new List<int>(source.Tokens);
                    beams[b].Finished = source.Finished || beams[b].Tokens.Count >= limit[b];
                }
            }
            var final = Score(beams.Select(b => Concat(promptIds, b.Tokens)).ToArray());
            int bestBeam = Enumerable.Range(0, beamsPer).OrderByDescending(b => final[b]).ThenBy(b => b).First();
            if (final[bestBeam] > best.Reward) best = (beams[bestBeam].Tokens.ToArray(), final[bestBeam]);
            var mostSelected = Enumerable.Range(0, beamsPer).Where(b => counts[b] > 0).OrderByDescending(b => counts[b]).ThenBy(b => b).Take(_options.ArchiveCandidates);
            foreach (int b in mostSelected)
            {
                if (!(final[b] > parent.Reward)) continue;
                int at = archive.FindIndex(e => e.Instruction == instructions[b]);
                if (at < 0) archive.Add((instructions[b], final[b]));
                else if (final[b] > archive[at].Reward) archive[at] = (instructions[b], final[b]);
            }
        }
        return new Answer(best.Tokens, best.Reward, allInstructions);
    }

    private sealed class Beam
    {
        public List<int> Tokens { get; set; } = new();
        public bool Finished { get; set; }
    }

    private List<string> CustomMutate(IInstructionMutator mutator, string prompt, string parent, int requestSeed, int iteration)
    {
        using var context = new DecodingContext(_lm, _generation, new[] { new GenerationRequest(prompt) }, _rm, new[] { requestSeed });
        return mutator.Mutate(context, new[] { parent }, _options.Mutations, _options.MutationRounds, iteration, CancellationToken.None)[0]
            .SelectMany(m => m.Instructions).ToList();
    }

    private List<string> Mutate(string parent, int requestSeed, int iteration)
    {
        var text = DarwinMutationPrompt.Format(_options.MutationPrompt, parent, _options.Mutations);
        var ids = _lm.Tokenizer.Encode(text, _generation.AddSpecialTokens);
        int rounds = _options.MutationRounds, mutationSeed = SeedMixer.Mix(requestSeed, 1, iteration);
        var result = new List<string>();
        if (ids.Count >= _lm.Config.ContextLength)
        {
            for (int r = 0; r < rounds; r++) result.AddRange(Enumerable.Repeat(parent, _options.Mutations));
            return result;
        }
        var outs = Generate(Enumerable.Repeat(ids, rounds).ToArray(), Enumerable.Repeat(Math.Min(_options.MutationMaxNewTokens, _lm.Config.ContextLength - ids.Count), rounds).ToArray(),
            Enumerable.Range(0, rounds).Select(r => new Random(SeedMixer.Mix(mutationSeed, r, 0))).ToArray(), int.MaxValue);
        foreach (var o in outs)
        {
            var written = _lm.Tokenizer.Decode(o.Tokens, skipSpecialTokens: true);
            bool ok = InstructionListParser.TryParse(written, _options.Mutations, out var items, out _)
                      && items.All(i => i.Trim().Length > 0 && _lm.Tokenizer.Encode(i, _generation.AddSpecialTokens) is { Count: > 0 } e && e.Count < _lm.Config.ContextLength);
            result.AddRange(ok ? items : Enumerable.Repeat(parent, _options.Mutations));
        }
        return result;
    }

    /// <summary>Hugging Face generate's structure: one prefill, then one step per token for every row until all rows stopped or <paramref name="steps"/> tokens.</summary>
    private (List<int> Tokens, bool Finished)[] Generate(IReadOnlyList<int>[] prompts, int[] room, Random[] randoms, int steps)
    {
        using var state = _lm.CreateState();
        state.Extend(prompts);
        var outs = prompts.Select(_ => (Tokens: new List<int>(), Finished: false)).ToArray();
        var feed = new int[prompts.Length];
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < outs.Length; i++)
            {
                if (outs[i].Finished) { feed[i] = _lm.Config.PadTokenId; continue; }
                int token = TokenSampler.Sample(state.Output(i), _options.Sampling, randoms[i]);
                feed[i] = token;
                if (_generation.StopAtEos && _lm.Config.EosTokenIds.Contains(token)) { outs[i].Finished = true; continue; }
                outs[i].Tokens.Add(token);
                if (outs[i].Tokens.Count >= room[i]) outs[i].Finished = true;
            }
            if (outs.All(o => o.Finished) || t == steps - 1) break;
            state.Step(feed);
        }
        LmTokenPositions += state.Counters.TokenPositions;
        return outs;
    }

    private float[] Score(IReadOnlyList<int>[] sequences)
    {
        using var state = _rm.CreateState();
        state.Extend(sequences);
        RewardTokenPositions += state.Counters.TokenPositions;
        return Enumerable.Range(0, sequences.Length).Select(i => state.Output(i)[0]).ToArray();
    }

    private IReadOnlyList<int> Encode(string text) => _lm.Tokenizer.Encode(text, _generation.AddSpecialTokens);

    private static IReadOnlyList<int> Concat(IReadOnlyList<int> a, IReadOnlyList<int> b) => a.Concat(b).ToArray();
}
