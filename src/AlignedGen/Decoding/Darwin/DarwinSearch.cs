using AlignedGen.Rewards;

namespace AlignedGen.Decoding;

/// <summary>
/// One batch of DARWIN: seed responses, then iterations of mutation (exploration) and reward-guided replacement
/// (exploitation) over all requests' beams at once. Beams decode as one <see cref="SequenceBatch"/> whose KV caches
/// persist across segments; a replaced beam copies the winner's cache when their instructions are the same tokens and
/// is re-prefilled otherwise; the reward source scores all beams that ran in one call per replacement point.
/// </summary>
internal sealed class DarwinSearch
{
    private readonly DarwinOptions _options;
    private readonly DecodingContext _context;
    private readonly SequenceBatch _main;
    private readonly IRewardSource _reward;
    private readonly CancellationToken _cancellationToken;

    public DarwinSearch(DarwinOptions options, DecodingContext context, SequenceBatch main, IRewardSource reward, CancellationToken cancellationToken)
    {
        _options = options;
        _context = context;
        _main = main;
        _reward = reward;
        _cancellationToken = cancellationToken;
    }

    private sealed class RequestState
    {
        public required DarwinArchive Archive { get; init; }
        public required Random Control { get; init; }
        public required SequenceRow Best { get; set; }
        public required float BestReward { get; set; }
        public int BestIteration { get; set; }
        public int BestBeam { get; set; } = -1;
        public required string BestInstruction { get; set; }
        public long Sampled { get; set; }
        public List<DarwinIteration> Iterations { get; } = new();
    }

    public IReadOnlyList<DecodingOutcome> Run()
    {
        int requests = _main.Count;
        var originals = Enumerable.Range(0, requests).Select(i => _main[i]).ToArray();
        using var rewards = BeamRewards.Create(_reward, _context, originals);

        // 1. Seed: one sampled response per original instruction, scored; the archive starts with it.
        SamplingStrategy.DecodeToEnd(_main, _options.Sampling, _cancellationToken);
        var seedRewards = rewards.ScoreResponses(originals, _cancellationToken);
        var states = new RequestState[requests];
        for (int p = 0; p < requests; p++)
        {
            var instruction = _context.Requests[p].Prompt;
            states[p] = new RequestState
            {
                Archive = new DarwinArchive(instruction, seedRewards[p]),
                Control = DarwinSeeds.Control(originals[p].Seed),
                Best = originals[p],
                BestReward = seedRewards[p],
                BestInstruction = instruction,
                Sampled = originals[p].GeneratedTokens.Count,
            };
        }

        var mutator = _options.Mutate ? _options.Mutator ?? new ModelInstructionMutator(_options) : null;
        for (int iteration = 1; iteration <= _options.Iterations; iteration++)
            RunIteration(iteration, originals, states, rewards, mutator);

        return Enumerable.Range(0, requests).Select(p => Outcome(p, states[p], seedRewards[p], rewards, mutator)).ToArray();
    }

    private void RunIteration(int iteration, SequenceRow[] originals, RequestState[] states, BeamRewards rewards, IInstructionMutator? mutator)
    {
        int requests = originals.Length, beamsPer = _options.Beams;
        var parents = states.Select(s => s.Archive.Pick(s.Control)).ToArray();
        var sampled = new long[requests];
        var mutations = mutator is null ? null : Mutate(mutator, parents.Select(x => x.Instruction).ToArray(), iteration, sampled);
        var instructions = new string[requests][];
        var rows = new List<SequenceRow>(requests * beamsPer);
        int context = _context.Model.Config.ContextLength;
        for (int p = 0; p < requests; p++)
        {
            instructions[p] = mutations is null
                ? Enumerable.Repeat(parents[p].Instruction, beamsPer).ToArray()
                : mutations[p].SelectMany(m => m.Instructions).ToArray();
            int seed = DarwinSeeds.Beam(originals[p].Seed, iteration);
            for (int b = 0; b < beamsPer; b++)
            {
                var ids = _context.EncodePrompt(instructions[p][b], $"DARWIN instruction {b + 1} of prompt {p}");
                rows.Add(new SequenceRow(p, b, ids, Math.Min(_context.Options.MaxNewTokens, context - ids.Count), seed));
            }
        }

        using var beams = _context.StartBatch(rows);
        rewards.Begin(beams);
        var scores = new float[beams.Count];
        var counts = new int[beams.Count];
        var segments = Enumerable.Range(0, requests).Select(_ => new List<DarwinSegment>()).ToArray();
        var segmentCount = new int[requests];   // per request: a request whose beams all finished takes no more turns
        var before = new int[beams.Count];
        while (!beams.AllFinished)
        {
            var ran = Enumerable.Range(0, beams.Count).Where(b => !beams[b].IsFinished).ToArray();
            var running = ran.Select(b => beams[b].RequestIndex).ToHashSet();
            foreach (int b in ran)
            {
                beams[b].ResetRandom();
                before[b] = beams[b].GeneratedTokens.Count;
            }
            SamplingStrategy.DecodeToEnd(beams, _options.Sampling, _cancellationToken, maxSteps: _options.ReplacementPeriod);
            foreach (int b in ran) sampled[beams[b].RequestIndex] += beams[b].GeneratedTokens.Count - before[b];
            rewards.Score(beams, ran, scores, _cancellationToken);

            var replacements = new List<(int Target, int Source)>();
            var perRequest = new List<(int Request, int[] Kept, int First, int Count)>();
            foreach (int p in running.Order())
            {
                segmentCount[p]++;
                int offset = p * beamsPer;
                var kept = DarwinSelection.TopStates(scores.AsSpan(offset, beamsPer), _options.Keep);
                foreach (int k in kept) counts[offset + k]++;
                var finished = Enumerable.Range(offset, beamsPer).Select(b => beams[b].IsFinished).ToArray();
                var plan = DarwinSelection.PlanReplacements(kept, finished, states[p].Control);
                perRequest.Add((p, kept, replacements.Count, plan.Count));
                replacements.AddRange(plan.Select(r => (offset + r.Target, offset + r.Source)));
            }
            var responses = _options.TraceSegments ? Enumerable.Range(0, beams.Count).Select(b => (IReadOnlyList<int>)beams[b].GeneratedTokens.ToArray()).ToArray() : null;
            var decided = _options.TraceSegments ? scores.ToArray() : null;
            var adoptions = beams.AdoptResponses(replacements);
            rewards.Adopt(beams, replacements);
            foreach (var (t, s) in replacements) scores[t] = scores[s];
            if (responses is null) continue;
            foreach (var (p, kept, first, count) in perRequest)
            {
                int offset = p * beamsPer;
                segments[p].Add(new DarwinSegment
                {
                    Number = segmentCount[p],
                    Rewards = decided!.AsSpan(offset, beamsPer).ToArray(),
                    Kept = kept,
                    Replacements = Enumerable.Range(first, count)
                        .Select(i => new DarwinReplacement(replacements[i].Target - offset, replacements[i].Source - offset, adoptions[i])).ToArray(),
                    Responses = responses.Skip(offset).Take(beamsPer).ToArray(),
                });
            }
        }

        for (int p = 0; p < requests; p++)
        {
            int offset = p * beamsPer;
            var state = states[p];
            var final = scores.AsSpan(offset, beamsPer).ToArray();
            int best = TokenSampler.ArgMax(final);
            if (final[best] > state.BestReward)
            {
                state.Best = beams[offset + best];
                state.BestReward = final[best];
                state.BestIteration = iteration;
                state.BestBeam = best;
                state.BestInstruction = instructions[p][best];
            }
            var selection = counts.AsSpan(offset, beamsPer).ToArray();
            var additions = new List<DarwinArchiveEntry>();
            foreach (int b in DarwinSelection.MostSelected(selection, _options.ArchiveCandidates))
                if (state.Archive.Offer(instructions[p][b], final[b], parents[p].Reward))
                    additions.Add(new DarwinArchiveEntry(instructions[p][b], final[b]));
            state.Sampled += sampled[p];
            state.Iterations.Add(new DarwinIteration
            {
                Number = iteration,
                Parent = parents[p].Instruction,
                ParentReward = parents[p].Reward,
                Mutations = mutations?[p] ?? Array.Empty<DarwinMutation>(),
                Instructions = instructions[p],
                FinalRewards = final,
                SelectionCounts = selection,
                ArchiveAdditions = additions,
                Segments = segments[p],
                SegmentCount = segmentCount[p],
            });
        }
    }

    /// <summary>Runs the mutator and checks its answer's shape: per request, one mutation per round with M instructions each.</summary>
    private IReadOnlyList<IReadOnlyList<DarwinMutation>> Mutate(IInstructionMutator mutator, string[] parents, int iteration, long[] sampled)
    {
        var result = mutator.Mutate(_context, parents, _options.Mutations, _options.MutationRounds, iteration, _cancellationToken);
        string who = mutator.GetType().Name;
        if (result is null || result.Count != parents.Length)
            throw new InvalidOperationException($"Instruction mutator {who} returned {result?.Count ?? 0} answers for {parents.Length} instructions; it must answer each one.");
        for (int p = 0; p < parents.Length; p++)
        {
            if (result[p] is null || result[p].Count != _options.MutationRounds)
                throw new InvalidOperationException($"Instruction mutator {who} returned {result[p]?.Count ?? 0} mutations for instruction {p}; DARWIN asked for {_options.MutationRounds} rounds.");
            foreach (var m in result[p])
            {
                if (m?.Instructions is null || m.Instructions.Count != _options.Mutations)
                    throw new InvalidOperationException($"Instruction mutator {who} returned {m?.Instructions?.Count ?? 0} instructions in a mutation of instruction {p}; DARWIN asked for {_options.Mutations} (return copies of the parent when a mutation fails).");
                sampled[p] += m.GeneratedTokenCount;
            }
        }
        return result;
    }

    private DecodingOutcome Outcome(int p, RequestState state, float seedReward, BeamRewards rewards, IInstructionMutator? mutator)
    {
        int requests = _main.Count;
        bool anyMutation = state.Iterations.Any(it => it.Mutations.Any(m => m.Parsed));
        var notes = new List<string>();
        if (mutator is null)
        {
            notes.Add("Mutation is off (DarwinOptions.Mutate = false): every beam kept the parent instruction; DARWIN ran as replacement-only search.");
        }
        else
        {
            int failed = state.Iterations.Count(it => it.Mutations.Any(m => !m.Parsed));
            var problem = state.Iterations.SelectMany(it => it.Mutations).FirstOrDefault(m => !m.Parsed)?.Problem;
            if (!anyMutation)
                notes.Add($"Mutation failed in every iteration ({problem}), so every beam kept the parent instruction and DARWIN ran as replacement-only search. " +
                          "Mutation needs an instruction-following model that can write a numbered list of instructions (see docs/darwin.md).");
            else if (failed > 0)
                notes.Add($"Mutation failed in {failed} of {state.Iterations.Count} iterations ({problem}); those searched with copies of the parent instruction.");
        }
        if (rewards.Note is not null) notes.Add(rewards.Note);
        var trace = new DarwinTrace
        {
            OriginalInstruction = _context.Requests[p].Prompt,
            SeedReward = seedReward,
            Iterations = state.Iterations,
            Archive = state.Archive.Entries,
            BestIteration = state.BestIteration,
            BestBeam = state.BestBeam,
            BestInstruction = state.BestInstruction,
            ReplacementOnly = !anyMutation,
            SampledTokens = state.Sampled,
            Notes = notes,
        };
        return new DecodingOutcome(state.Best, state.BestReward)
        {
            RewardCalls = rewards.ByRequest[p].Calls,
            RewardTokens = rewards.ByRequest[p].Tokens,
            Trace = trace,
        };
    }
}
