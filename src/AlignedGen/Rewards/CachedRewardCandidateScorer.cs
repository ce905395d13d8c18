using AlignedGen.Models;

namespace AlignedGen.Rewards;

/// <summary>
/// ARGS's fast path over a cached reward model: each row's prompt (and response so far) is prefilled once; every step
/// the chosen rows are expanded k-fold and the k candidates fed as one token each, in one call for all rows; only the
/// chosen candidate's cache survives (one gather per step: select and expand together).
/// </summary>
internal sealed class CachedRewardCandidateScorer : ICandidateScorer
{
    private readonly ICachedRewardModel _model;
    private IDecoderState? _state;
    private readonly Dictionary<PartialResponse, int> _rowIndex = new(ReferenceEqualityComparer.Instance);
    private int[] _pending = Array.Empty<int>();   // per row of the last Score call: state row of its chosen candidate
    private int _k;
    private bool _expanded;
    private bool _windowReported;

    public CachedRewardCandidateScorer(ICachedRewardModel model) => _model = model;

    public RewardWork Work { get; } = new();

    private readonly RowRewardWork _rows = new();

    /// <inheritdoc />
    public RewardWork? WorkOf(PartialResponse row) => _rows.Of(row);

    /// <summary>Set when a row outgrew the reward model's context and only its end is scored.</summary>
    public string? Note { get; private set; }

    public void Score(IReadOnlyList<PartialResponse> rows, ReadOnlySpan<int> candidates, int k, Span<float> scores, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_state is null || NeedsWindow(rows)) Prefill(rows);
        var sources = new int[rows.Count * k];
        bool sameRows = _expanded && k == _k && rows.Count * k == _state!.RowCount;
        for (int i = 0; i < rows.Count; i++)
        {
            if (!_rowIndex.TryGetValue(rows[i], out int p))
                throw new InvalidOperationException("A row appeared that the scorer has not seen; candidate scorers serve one batch.");
            sameRows &= p == i;
            int src = _expanded ? _pending[p] : p;
            for (int j = 0; j < k; j++) sources[i * k + j] = src;
        }
        var before = _state!.Counters.TokenPositions;
        long calls = _state.Counters.Calls;
        // The k candidate rows of a prefix differ only in their last token: when no row finished since the last step,
        // copying the chosen row's last cache entry over its siblings' (in place) replaces a full k-fold gather.
        if (sameRows) _state.CopyLastPosition(sources);
        else _state.SelectRows(sources);
        _state.Step(candidates);
        for (int i = 0; i < sources.Length; i++) scores[i] = _state.Output(i)[0];
        Work.Calls += _state.Counters.Calls - calls;
        Work.Tokens += _state.Counters.TokenPositions - before;
        foreach (var row in rows) _rows.Add(row, k);   // one position per candidate
        _rowIndex.Clear();
        for (int i = 0; i < rows.Count; i++) _rowIndex[rows[i]] = i;
        if (_pending.Length < rows.Count) _pending = new int[rows.Count];
        _k = k;
        _expanded = true;
    }

    public void Commit(IReadOnlyList<PartialResponse> rows, ReadOnlySpan<int> chosen)
    {
        for (int i = 0; i < rows.Count; i++)
        {
            if ((uint)chosen[i] >= (uint)_k) throw new ArgumentOutOfRangeException(nameof(chosen), chosen[i], $"Chosen candidate must be in [0, {_k}).");
            _pending[_rowIndex[rows[i]]] = _rowIndex[rows[i]] * _k + chosen[i];
        }
    }

    private bool NeedsWindow(IReadOnlyList<PartialResponse> rows)
    {
        int limit = _model.ContextLength;
        foreach (var r in rows)
            if (r.PromptTokens.Count + r.ResponseTokens.Count + 1 > limit) return true;
        return false;
    }

    private void Prefill(IReadOnlyList<PartialResponse> rows)
    {
        _state?.Dispose();
        _state = _model.CreateState();
        int limit = _model.ContextLength - 1;
        var ids = new IReadOnlyList<int>[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            var all = rows[i].PromptTokens.Concat(rows[i].ResponseTokens).ToArray();
            if (all.Length > limit)
            {
                if (!_windowReported)
                {
                    Note = $"Reward model '{_model.Name}' has a context of {_model.ContextLength} tokens; longer sequences are scored on their last {limit} tokens plus the candidate.";
                    _windowReported = true;
                }
                all = all[^limit..];
            }
            ids[i] = all;
        }
        long before = _state.Counters.TokenPositions;
        _state.Extend(ids);
        Work.Calls++;
        Work.Tokens += _state.Counters.TokenPositions - before;
        for (int i = 0; i < rows.Count; i++) _rows.Add(rows[i], ids[i].Count);   // its own positions, not the padding others' lengths add
        _rowIndex.Clear();
        for (int i = 0; i < rows.Count; i++) _rowIndex[rows[i]] = i;
        _expanded = false;
    }

    public void Dispose() => _state?.Dispose();
}
