using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Decoding;

/// <summary>
/// DARWIN scoring over a cached reward model that shares the LM's tokenizer: it scores ids (original instruction ids ⊕
/// response ids, as ARGS's fast path does). Each iteration prefills every request's instruction once and forks it to
/// that request's beams; each segment feeds only the new tokens of the beams that ran; a beam that takes another's
/// response takes its cache row; finished beams leave. Sequences longer than the reward model's context are scored as
/// text instead (the source windows them).
/// </summary>
internal sealed class CachedBeamRewards : BeamRewards
{
    private readonly CachedDecoderRewardModel _model;
    private readonly TextBeamRewards _text;
    private IDecoderState? _state;
    private int[] _row = Array.Empty<int>();   // beam -> cache row, -1 once it left
    private int[] _fed = Array.Empty<int>();   // beam -> response tokens fed so far
    private bool _useText;

    public CachedBeamRewards(CachedDecoderRewardModel model, DecodingContext context, IReadOnlyList<SequenceRow> originals)
        : base(model, context, originals, work: null, byRequest: null)
    {
        _model = model;
        _text = new TextBeamRewards(model, context, originals, Work, ByRequest);
    }

    public override float[] ScoreResponses(IReadOnlyList<SequenceRow> responses, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var ids = responses.Select(r => (IReadOnlyList<int>)Originals[r.RequestIndex].PromptTokens.Concat(r.GeneratedTokens).ToArray()).ToArray();
        if (ids.Any(s => s.Count > _model.ContextLength)) return TextFallback(() => _text.ScoreResponses(responses, cancellationToken));
        using var state = _model.CreateState();
        state.Extend(ids);
        Count(state.Counters.Calls, state.Counters.TokenPositions);
        Account(responses.Select(r => r.RequestIndex).ToArray(), ids.Select(i => (long)i.Count).ToArray());
        var scores = new float[responses.Count];
        for (int i = 0; i < scores.Length; i++) scores[i] = Checked(state.Output(i)[0], i);
        return scores;
    }

    public override void Begin(SequenceBatch beams)
    {
        _state?.Dispose();
        _state = null;
        _useText = false;
        for (int b = 0; b < beams.Count; b++)
            if (Originals[beams[b].RequestIndex].PromptTokens.Count + beams[b].MaxNewTokens > _model.ContextLength) _useText = true;
        if (_useText)
        {
            Note ??= $"Reward model '{_model.Name}' has a context of {_model.ContextLength} tokens, too short for instruction plus response; those iterations were scored as text (the model sees their end).";
            return;
        }
        var requests = Enumerable.Range(0, beams.Count).Select(b => beams[b].RequestIndex).Distinct().ToList();
        _state = _model.CreateState();
        _state.Extend(requests.Select(r => Originals[r].PromptTokens).ToArray());
        _state.SelectRows(Enumerable.Range(0, beams.Count).Select(b => requests.IndexOf(beams[b].RequestIndex)).ToArray());
        Count(_state.Counters.Calls, _state.Counters.TokenPositions);
        Account(requests, requests.Select(r => (long)Originals[r].PromptTokens.Count).ToArray());
        _row = Enumerable.Range(0, beams.Count).ToArray();
        _fed = new int[beams.Count];
    }

    public override void Score(SequenceBatch beams, IReadOnlyList<int> which, float[] rewards, CancellationToken cancellationToken)
    {
        if (_useText) { _text.Score(beams, which, rewards, cancellationToken); return; }
        cancellationToken.ThrowIfCancellationRequested();
        var state = _state ?? throw new InvalidOperationException("Begin the beams before scoring them.");
        // Beams without new tokens (they stopped at once) keep the reward of their prefix; the others are extended.
        var extend = new List<int>();
        foreach (int b in which)
        {
            if (_row[b] < 0) throw new InvalidOperationException($"Beam {b} has no reward cache; it finished in an earlier segment.");
            if (beams[b].GeneratedTokens.Count > _fed[b]) extend.Add(b);
            else rewards[b] = Checked(state.Output(_row[b])[0], b);
        }
        Rearrange(extend.Select(b => _row[b]).ToArray(), extend);
        if (extend.Count > 0)
        {
            long calls = state.Counters.Calls, tokens = state.Counters.TokenPositions;
            var chunks = extend.Select(b => (IReadOnlyList<int>)beams[b].GeneratedTokens.Skip(_fed[b]).ToArray()).ToArray();
            var fed = chunks;
            if (_model.NeedsEqualExtends && chunks.Any(c => c.Count != chunks[0].Count))
            {
                var full = extend.Select(b => (IReadOnlyList<int>)Originals[beams[b].RequestIndex].PromptTokens.Concat(beams[b].GeneratedTokens).ToArray()).ToArray();
                state.Refill(Enumerable.Range(0, extend.Count).ToArray(), full);
                fed = full;
            }
            else
            {
                state.Extend(chunks);
            }
            Count(state.Counters.Calls - calls, state.Counters.TokenPositions - tokens);
            Account(extend.Select(b => beams[b].RequestIndex).ToArray(), fed.Select(c => (long)c.Count).ToArray());
            foreach (int b in extend)
            {
                rewards[b] = Checked(state.Output(_row[b])[0], b);
                _fed[b] = beams[b].GeneratedTokens.Count;
            }
        }
        var running = extend.Where(b => !beams[b].IsFinished).ToList();
        Rearrange(running.Select(b => _row[b]).ToArray(), running);
    }

    public override void Adopt(SequenceBatch beams, IReadOnlyList<(int Target, int Source)> replacements)
    {
        if (_useText || replacements.Count == 0) return;
        var source = Enumerable.Range(0, beams.Count).ToArray();
        foreach (var (t, s) in replacements) source[t] = s;
        var keep = new List<int>();
        var sourceRows = new List<int>();
        for (int b = 0; b < beams.Count; b++)
        {
            if (beams[b].IsFinished || _row[source[b]] < 0) continue;
            keep.Add(b);
            sourceRows.Add(_row[source[b]]);
        }
        foreach (var (t, s) in replacements) _fed[t] = _fed[s];
        Rearrange(sourceRows.ToArray(), keep);
    }

    public override void Keep(IReadOnlyList<int> sourceBeams)
    {
        if (_useText) return;
        var rows = new List<int>();
        var beams = new List<int>();
        var fed = new int[sourceBeams.Count];
        for (int i = 0; i < sourceBeams.Count; i++)
        {
            int s = sourceBeams[i];
            fed[i] = _fed[s];
            if (_row[s] < 0) continue;
            rows.Add(_row[s]);
            beams.Add(i);
        }
        _row = new int[sourceBeams.Count];
        _fed = fed;
        Rearrange(rows.ToArray(), beams);
    }

    /// <summary>Keeps cache rows <paramref name="sourceRows"/> in order as the rows of <paramref name="beams"/>; every other beam leaves.</summary>
    private void Rearrange(int[] sourceRows, IReadOnlyList<int> beams)
    {
        var state = _state!;
        bool identity = sourceRows.Length == state.RowCount && sourceRows.Select((r, i) => r == i).All(x => x);
        if (!identity && (sourceRows.Length > 0 || state.RowCount > 0)) state.SelectRows(sourceRows);
        Array.Fill(_row, -1);
        for (int i = 0; i < beams.Count; i++) _row[beams[i]] = i;
    }

    private float[] TextFallback(Func<float[]> score)
    {
        Note ??= $"Reward model '{_model.Name}' has a context of {_model.ContextLength} tokens; longer responses were scored as text (the model sees their end).";
        return score();
    }

    private void Count(long calls, long tokens)
    {
        Work.Calls += calls;
        Work.Tokens += tokens;
    }

    private float Checked(float reward, int row)
    {
        if (!float.IsFinite(reward)) throw new RewardSourceException(_model.Name, row, $"returned {reward} (not a finite number) for a response.");
        return reward;
    }

    public override void Dispose() => _state?.Dispose();
}
