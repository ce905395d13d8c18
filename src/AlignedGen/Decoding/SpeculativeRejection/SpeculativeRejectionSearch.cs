using AlignedGen.Rewards;

namespace AlignedGen.Decoding;

/// <summary>
/// One batch of Speculative Rejection: every prompt's N samples decode as one <see cref="SequenceBatch"/> up to each
/// decision point; all samples that ran are scored in one reward call; per prompt the pool is ranked and cut to
/// <see cref="SpeculativeRejectionOptions.KeepCount"/>; stopped samples leave the batch (and the reward model's cache)
/// with one gather, survivors keep their caches.
/// </summary>
internal sealed class SpeculativeRejectionSearch
{
    private readonly SpeculativeRejectionOptions _options;
    private readonly DecodingContext _context;
    private readonly SequenceBatch _batch;
    private readonly IRewardSource _reward;
    private readonly CancellationToken _cancellationToken;

    public SpeculativeRejectionSearch(SpeculativeRejectionOptions options, DecodingContext context, SequenceBatch batch, IRewardSource reward,
        CancellationToken cancellationToken)
    {
        _options = options;
        _context = context;
        _batch = batch;
        _reward = reward;
        _cancellationToken = cancellationToken;
    }

    private enum SampleState { Running, Completed, Stopped }

    private sealed class Sample
    {
        public required int Index { get; init; }
        public required SequenceRow Row { get; set; }
        /// <summary>The sample's own stream, as Best-of-N's sample of the same index draws it, kept across decision points.</summary>
        public required Random Random { get; init; }
        public SampleState State { get; set; }
        public float Score { get; set; }
        /// <summary>A completed response keeps competing for places until a decision point leaves it out.</summary>
        public bool InPool { get; set; } = true;
    }

    public IReadOnlyList<DecodingOutcome> Run()
    {
        int prompts = _batch.Count, n = _options.Samples;
        var originals = Enumerable.Range(0, prompts).Select(i => _batch[i]).ToArray();
        var forks = new int[prompts * n];
        for (int p = 0; p < prompts; p++)
            for (int j = 0; j < n; j++) forks[p * n + j] = p;
        _batch.Fork(forks);
        var samples = Enumerable.Range(0, prompts).Select(p => Enumerable.Range(0, n)
            .Select(j => new Sample { Index = j, Row = _batch[p * n + j], Random = SpeculativeRejectionSeeds.Sample(originals[p].Seed, j) }).ToArray()).ToArray();
        var decisions = Enumerable.Range(0, prompts).Select(_ => new List<SpeculativeRejectionDecision>()).ToArray();

        using var rewards = BeamRewards.Create(_reward, _context, originals);
        rewards.Begin(_batch);
        var schedule = _options.Schedule(originals.Max(r => r.MaxNewTokens));
        int length = 0;
        foreach (int point in schedule)
        {
            Decode(samples, maxSteps: point - length);
            length = point;
            if (_batch.AllFinished) break;
            ScoreBatch(rewards, samples);
            Decide(point, samples, rewards, decisions);
            if (_batch.AllFinished) break;
        }
        Decode(samples, maxSteps: int.MaxValue);
        ScoreBatch(rewards, samples);
        return Enumerable.Range(0, prompts).Select(p => Outcome(samples[p], decisions[p], rewards, p)).ToArray();
    }

    /// <summary>Samples every running row's next tokens from its own stream until all rows finished or <paramref name="maxSteps"/> steps.</summary>
    private void Decode(Sample[][] samples, int maxSteps)
    {
        var tokens = new int[_batch.Count];
        for (int step = 0; step < maxSteps && !_batch.AllFinished; step++)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            for (int b = 0; b < _batch.Count; b++)
            {
                var row = _batch[b];
                tokens[b] = row.IsFinished ? 0 : TokenSampler.Sample(_batch.Logits(b), _options.Sampling, samples[row.RequestIndex][row.SampleIndex].Random);
            }
            _batch.Append(tokens);
        }
    }

    /// <summary>Scores every row of the batch (running ones and those that finished since the last decision) in one call.</summary>
    private void ScoreBatch(BeamRewards rewards, Sample[][] samples)
    {
        if (_batch.Count == 0) return;
        var scores = new float[_batch.Count];
        rewards.Score(_batch, Enumerable.Range(0, _batch.Count).ToArray(), scores, _cancellationToken);
        for (int b = 0; b < _batch.Count; b++)
        {
            var row = _batch[b];
            var sample = samples[row.RequestIndex][row.SampleIndex];
            sample.Row = row;
            sample.Score = scores[b];
            if (row.IsFinished) sample.State = SampleState.Completed;
        }
    }

    /// <summary>Ranks each prompt's pool, stops the running samples outside the kept places, and drops them from the batch.</summary>
    private void Decide(int length, Sample[][] samples, BeamRewards rewards, List<SpeculativeRejectionDecision>[] decisions)
    {
        var kept = new List<int>();
        for (int p = 0; p < samples.Length; p++)
        {
            var pool = samples[p].Where(s => s.State == SampleState.Running || (s.State == SampleState.Completed && s.InPool)).ToList();
            if (!pool.Any(s => s.State == SampleState.Running)) continue;   // this prompt is done
            // Highest score first; ties go to the lower sample index (the authors' stable sort keeps arrival order).
            var ranked = pool.OrderByDescending(s => s.Score).ThenBy(s => s.Index).ToList();
            int keep = _options.KeepCount(pool.Count);
            var stopped = new List<int>();
            for (int i = keep; i < ranked.Count; i++)
            {
                if (ranked[i].State == SampleState.Running)
                {
                    ranked[i].State = SampleState.Stopped;
                    stopped.Add(ranked[i].Index);
                }
                else
                {
                    ranked[i].InPool = false;
                }
            }
            decisions[p].Add(new SpeculativeRejectionDecision(length, pool.Count, keep, stopped.Order().ToArray()));
        }
        for (int b = 0; b < _batch.Count; b++)
        {
            var row = _batch[b];
            if (samples[row.RequestIndex][row.SampleIndex].State == SampleState.Running) kept.Add(b);
        }
        if (kept.Count == _batch.Count) return;
        _batch.Fork(kept.ToArray());
        rewards.Keep(kept);
        for (int b = 0; b < _batch.Count; b++) samples[_batch[b].RequestIndex][_batch[b].SampleIndex].Row = _batch[b];
    }

    private DecodingOutcome Outcome(Sample[] samples, List<SpeculativeRejectionDecision> decisions, BeamRewards rewards, int prompt)
    {
        var completed = samples.Where(s => s.State == SampleState.Completed).ToList();
        var best = completed.OrderByDescending(s => s.Score).ThenBy(s => s.Index).First();
        var notes = new List<string>();
        if (rewards.Note is not null) notes.Add(rewards.Note);
        var trace = new SpeculativeRejectionTrace
        {
            Decisions = decisions,
            Samples = samples.Length,
            StoppedEarly = samples.Count(s => s.State == SampleState.Stopped),
            Completed = completed.Count,
            SampledTokens = samples.Sum(s => (long)s.Row.GeneratedTokens.Count),
            BestSample = best.Index,
            Notes = notes,
        };
        return new DecodingOutcome(best.Row, best.Score)
        {
            RewardCalls = rewards.ByRequest[prompt].Calls,
            RewardTokens = rewards.ByRequest[prompt].Tokens,
            Trace = trace,
        };
    }
}
