using AlignedGen.Rewards;

namespace AlignedGen.Decoding;

/// <summary>
/// One batch of CARDS, one row per prompt, all rows stepping together. Each step every running row either draws its
/// segment's next token or closes its candidate segment (entropy, EOS, segment or response full, stop string); all
/// candidates that closed in a step are scored in one reward call and tested; an accepted segment stays in the row's
/// KV cache and the next segment starts at once; a rejected one is rolled back to the segment start and redrawn. A
/// closing token (EOS, the token that fills the segment) is fed to the model only once its segment is accepted, so a
/// row never finishes on a rejected segment.
/// </summary>
internal sealed class CardsSearch
{
    private readonly CardsOptions _options;
    private readonly DecodingContext _context;
    private readonly SequenceBatch _batch;
    private CardsRewards _rewards = null!;
    private readonly IRewardSource _reward;
    private readonly StopStringDetector? _stops;
    private readonly CancellationToken _cancellationToken;
    private readonly int[] _tokens;

    public CardsSearch(CardsOptions options, DecodingContext context, SequenceBatch batch, IRewardSource reward, CancellationToken cancellationToken)
    {
        _options = options;
        _context = context;
        _batch = batch;
        _reward = reward;
        _stops = context.Options.StopStrings.Count == 0 ? null : new StopStringDetector(context.Model.Tokenizer, context.Options.StopStrings);
        _cancellationToken = cancellationToken;
        _tokens = new int[batch.Count];
    }

    /// <summary>How a candidate segment ended.</summary>
    private enum SegmentEnd
    {
        /// <summary>Before a token whose next-token entropy reached τH; the row's logits already start the next segment.</summary>
        Entropy,
        /// <summary>The model drew EOS: the segment ends the response.</summary>
        Eos,
        /// <summary>With its last token (segment or response full, or a stop string): the token is fed once accepted.</summary>
        Token,
    }

    /// <summary>A closed candidate: its tokens (the closing token included for <see cref="SegmentEnd.Token"/>), how it ended, and the token fed on acceptance.</summary>
    private sealed record Candidate(Track Track, int[] Tokens, SegmentEnd End, int ClosingToken);

    private sealed class Track
    {
        public required int Row { get; init; }
        public required int Seed { get; init; }
        public required float PromptReward { get; init; }
        public required double FinalThreshold { get; init; }
        public required double StartThreshold { get; init; }
        public required Random Tokens { get; set; }
        /// <summary>Response tokens accepted (the row may hold fewer while a forced best candidate is fed again).</summary>
        public int Accepted { get; set; }
        /// <summary>Segments accepted so far: the index of the current segment.</summary>
        public int Segment { get; set; }
        /// <summary>Rejections of the current segment so far.</summary>
        public int Attempt { get; set; }
        /// <summary>The current attempt's tokens fed (or being fed this step).</summary>
        public List<int> Drawn { get; } = new();
        public float[] StartLogits { get; set; } = Array.Empty<float>();
        /// <summary>The next logits the track reads start its segment (save them for retries).</summary>
        public bool StartPending { get; set; } = true;
        /// <summary>The row was rolled back: its logits are the saved segment-start ones.</summary>
        public bool UseStartLogits { get; set; }
        /// <summary>Generated length the row must roll back to before the next model step; -1 for none.</summary>
        public int RollBackTo { get; set; } = -1;
        public Queue<int> Replay { get; } = new();
        public Candidate? Best { get; set; }
        public float BestReward { get; set; }
        public float FinalReward { get; set; }
        public int Tried { get; set; }
        public int Forced { get; set; }
        public long Sampled { get; set; }
        public long Recomputed { get; set; }
        public List<int> SegmentLengths { get; } = new();
    }

    public IReadOnlyList<DecodingOutcome> Run()
    {
        int prompts = _batch.Count;
        var rows = Enumerable.Range(0, prompts).Select(i => _batch[i]).ToArray();
        using var rewards = _rewards = CardsRewards.Create(_reward, _context, rows);
        var promptRewards = _rewards.ScorePrompts(rows, _cancellationToken);
        var tracks = new Track[prompts];
        for (int p = 0; p < prompts; p++)
        {
            double final = _options.RewardThreshold ?? promptRewards[p] + _options.RewardGain;
            tracks[p] = new Track
            {
                Row = p,
                Seed = rows[p].Seed,
                PromptReward = promptRewards[p],
                FinalThreshold = final,
                StartThreshold = (1 - _options.Alpha) * promptRewards[p] + _options.Alpha * final,
                Tokens = CardsSeeds.Tokens(rows[p].Seed, 0, 0),
                FinalReward = promptRewards[p],
            };
        }

        while (!_batch.AllFinished)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            var closed = new List<Candidate>();
            foreach (var track in tracks)
            {
                if (_batch[track.Row].IsFinished) continue;
                if (track.Replay.Count > 0) Feed(track, track.Replay.Dequeue());
                else Draw(track, closed);
            }
            while (closed.Count > 0) closed = Decide(closed);
            RollBack(tracks);
            _batch.Append(_tokens);
        }
        return tracks.Select(t => Outcome(t, prompts)).ToArray();
    }

    /// <summary>Draws the track's next token, or closes its candidate segment (added to <paramref name="closed"/>).</summary>
    private void Draw(Track track, List<Candidate> closed)
    {
        var logits = track.UseStartLogits ? track.StartLogits : _batch.Logits(track.Row);
        if (track.StartPending)
        {
            if (track.StartLogits.Length != logits.Length) track.StartLogits = new float[logits.Length];
            logits.CopyTo(track.StartLogits);
            track.StartPending = false;
        }
        if (track.Drawn.Count >= _options.MinSegmentLength && Entropy(logits) >= _options.EntropyThreshold)
        {
            closed.Add(new Candidate(track, track.Drawn.ToArray(), SegmentEnd.Entropy, -1));
            return;
        }
        int token = TokenSampler.Sample(logits, _options.Sampling, track.Tokens);
        if (_context.Options.StopAtEos && _context.Model.Config.EosTokenIds.Contains(token))
        {
            closed.Add(new Candidate(track, track.Drawn.ToArray(), SegmentEnd.Eos, token));
            return;
        }
        track.Sampled++;
        var row = _batch[track.Row];
        if (track.Drawn.Count + 1 >= _options.MaxSegmentLength || track.Accepted + track.Drawn.Count + 1 >= row.MaxNewTokens || EndsWithStop(track, token))
        {
            closed.Add(new Candidate(track, track.Drawn.Append(token).ToArray(), SegmentEnd.Token, token));
            return;
        }
        track.Drawn.Add(token);
        track.UseStartLogits = false;
        _tokens[track.Row] = token;
    }

    /// <summary>Scores the candidates in one call and tests each; returns the candidates that close again within this step.</summary>
    private List<Candidate> Decide(List<Candidate> closed)
    {
        var scored = closed.Select(c => (_batch[c.Track.Row], (IReadOnlyList<int>)_batch[c.Track.Row].GeneratedTokens.Take(c.Track.Accepted).Concat(c.Tokens).ToArray())).ToArray();
        var rewards = _rewards.Score(scored, _cancellationToken);
        var next = new List<Candidate>();
        for (int i = 0; i < closed.Count; i++)
        {
            var c = closed[i];
            var track = c.Track;
            float reward = rewards[i];
            track.Tried++;
            if (track.Best is null || reward > track.BestReward)
            {
                track.Best = c;
                track.BestReward = reward;
            }
            // As in the authors' code, the cap is checked before the test: after MaxRetries rejections the best of the
            // MaxRetries + 1 candidates (this one included) is taken untested.
            int start = track.Accepted;
            float startReward = track.FinalReward;
            if (track.Attempt >= _options.MaxRetries)
            {
                track.Forced++;
                bool current = ReferenceEquals(track.Best, c);
                _rewards.Settle(track.Row, current ? start + c.Tokens.Length : start, current ? reward : startReward);
                Take(track, track.Best, track.BestReward, current, next);
            }
            else if (Accepts(track, c, reward))
            {
                _rewards.Settle(track.Row, start + c.Tokens.Length, reward);
                Take(track, c, reward, current: true, next);
            }
            else
            {
                _rewards.Settle(track.Row, start, startReward);
                track.Attempt++;
                track.RollBackTo = track.Accepted;
                track.Drawn.Clear();
                track.UseStartLogits = true;
                track.Tokens = CardsSeeds.Tokens(track.Seed, track.Segment, track.Attempt);
                Draw(track, next);
            }
        }
        return next;
    }

    private bool Accepts(Track track, Candidate c, float reward)
    {
        // The threshold rises linearly from r0 to r* over the response length, as the authors' accept_check.
        int length = track.Accepted + c.Tokens.Length;
        double threshold = Math.Min(track.FinalThreshold,
            track.StartThreshold + length * (track.FinalThreshold - track.StartThreshold) / _batch[track.Row].MaxNewTokens);
        return _options.Acceptance == CardsAcceptance.Hard
            ? reward >= threshold
            : CardsSeeds.AcceptDraw(track.Seed, track.Segment, track.Attempt) < Math.Min(1, Math.Exp((reward - threshold) / _options.Beta));
    }

    /// <summary>
    /// Makes <paramref name="segment"/> part of the response. The current candidate is already in the row's cache (its
    /// closing token is fed now); an earlier candidate (the best after the retry cap) is fed again from the segment start.
    /// </summary>
    private void Take(Track track, Candidate segment, float reward, bool current, List<Candidate> next)
    {
        int start = track.Accepted;
        track.SegmentLengths.Add(segment.Tokens.Length);
        track.FinalReward = reward;
        track.Accepted += segment.Tokens.Length;
        track.Segment++;
        track.Attempt = 0;
        track.Best = null;
        track.Drawn.Clear();
        track.Tokens = CardsSeeds.Tokens(track.Seed, track.Segment, 0);
        if (!current)
        {
            track.RollBackTo = start;
            track.UseStartLogits = false;
            foreach (int token in segment.Tokens) track.Replay.Enqueue(token);
            if (segment.End == SegmentEnd.Eos) track.Replay.Enqueue(segment.ClosingToken);
            track.Recomputed += segment.Tokens.Length;
            Feed(track, track.Replay.Dequeue());
            return;
        }
        switch (segment.End)
        {
            case SegmentEnd.Entropy:
                track.StartPending = true;
                Draw(track, next);
                break;
            case SegmentEnd.Eos:
                _tokens[track.Row] = segment.ClosingToken;
                break;
            default:
                Feed(track, segment.ClosingToken);
                break;
        }
    }

    /// <summary>Feeds an accepted token; the next segment starts after the segment's last one.</summary>
    private void Feed(Track track, int token)
    {
        _tokens[track.Row] = token;
        if (track.Replay.Count == 0) track.StartPending = true;
    }

    private void RollBack(Track[] tracks)
    {
        var rollBacks = new List<(int Row, int Length)>();
        foreach (var track in tracks)
        {
            if (track.RollBackTo < 0) continue;
            var row = _batch[track.Row];
            if (track.RollBackTo < row.GeneratedTokens.Count) rollBacks.Add((track.Row, track.RollBackTo));
            track.RollBackTo = -1;
        }
        _batch.RollBack(rollBacks);
    }

    private bool EndsWithStop(Track track, int token)
        => _stops is not null && _stops.Matches(_batch[track.Row].GeneratedTokens.Take(track.Accepted).Concat(track.Drawn).Append(token).ToArray());

    /// <summary>Entropy (nats) of softmax(<paramref name="logits"/>) over the full vocabulary at temperature 1.</summary>
    internal static double Entropy(ReadOnlySpan<float> logits)
    {
        double max = double.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        double sum = 0, weighted = 0;
        foreach (var l in logits)
        {
            double e = Math.Exp(l - max);
            sum += e;
            weighted += e * (l - max);
        }
        return Math.Log(sum) - weighted / sum;
    }

    private DecodingOutcome Outcome(Track track, int prompts)
    {
        var notes = new List<string>();
        if (_rewards.Note is not null) notes.Add(_rewards.Note);
        if (track.Forced > 0)
            notes.Add($"{track.Forced} of {track.SegmentLengths.Count} segments were taken as the best of {_options.MaxRetries + 1} candidates after {_options.MaxRetries} rejections (the threshold may be too high for this reward model: lower the reward threshold or gain).");
        var trace = new CardsTrace
        {
            PromptReward = track.PromptReward,
            FinalThreshold = track.FinalThreshold,
            StartThreshold = track.StartThreshold,
            SegmentsTried = track.Tried,
            SegmentsAccepted = track.SegmentLengths.Count,
            SegmentsForced = track.Forced,
            SampledTokens = track.Sampled,
            RecomputedTokens = track.Recomputed,
            SegmentLengths = track.SegmentLengths,
            Notes = notes,
        };
        return new DecodingOutcome(_batch[track.Row], track.FinalReward)
        {
            RewardCalls = _rewards.CallsOf(track.Row),
            RewardTokens = _rewards.TokensOf(track.Row),
            Trace = trace,
        };
    }
}
