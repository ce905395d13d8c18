using AlignedGen.Models;

namespace AlignedGen.Decoding;

/// <summary>
/// The sequences a strategy works on: one row per sequence, each with its prompt, the tokens generated so far and
/// whether it has finished. Strategies read <see cref="Logits"/>, choose, and <see cref="Append"/>; finished rows stop
/// costing work (they leave the model's batch). <see cref="Fork"/> copies rows (Best-of-N samples, beam replacement).
/// </summary>
public sealed class SequenceBatch : IDisposable
{
    private readonly IDecoderState _state;
    private readonly GenerationOptions _options;
    private readonly DecoderConfig _config;
    private readonly StopStringDetector _stops;
    private List<SequenceRow> _rows;
    private int[] _physical;   // logical row -> physical row in the state, -1 when finished
    private int[] _scratch = Array.Empty<int>();

    internal SequenceBatch(ICausalLanguageModel model, IDecoderState state, IReadOnlyList<SequenceRow> rows, GenerationOptions options)
    {
        Model = model;
        _state = state;
        _options = options;
        _config = model.Config;
        _stops = new StopStringDetector(model.Tokenizer, options.StopStrings);
        _rows = rows.ToList();
        _physical = Enumerable.Range(0, _rows.Count).ToArray();
    }

    /// <summary>
    /// Prefills a new batch of <paramref name="rows"/> (fresh rows, nothing generated yet). Rows with the same prompt
    /// tokens are prefilled once and forked, so N beams of one instruction cost one prefill.
    /// </summary>
    internal static SequenceBatch Start(ICausalLanguageModel model, IReadOnlyList<SequenceRow> rows, GenerationOptions options)
    {
        if (rows.Count == 0) throw new ArgumentException("A batch needs at least one row.", nameof(rows));
        var unique = new List<IReadOnlyList<int>>();
        var firstOf = new Dictionary<IReadOnlyList<int>, int>(TokenSequenceComparer.Instance);
        var source = new int[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].GeneratedTokens.Count > 0 || rows[i].IsFinished)
                throw new ArgumentException($"Row {i} has already generated tokens; a new batch starts from prompts only.", nameof(rows));
            if (!firstOf.TryGetValue(rows[i].PromptTokens, out int u))
            {
                u = unique.Count;
                firstOf[rows[i].PromptTokens] = u;
                unique.Add(rows[i].PromptTokens);
            }
            source[i] = u;
        }
        var state = model.CreateState();
        try
        {
            state.Extend(unique);
            if (unique.Count < rows.Count) state.SelectRows(source);
            return new SequenceBatch(model, state, rows, options);
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    /// <summary>The model whose logits this batch exposes.</summary>
    public ICausalLanguageModel Model { get; }

    /// <summary>Number of rows.</summary>
    public int Count => _rows.Count;

    /// <summary>A row's prompt, generated tokens and state.</summary>
    public SequenceRow this[int row] => _rows[row];

    /// <summary>True when every row has finished.</summary>
    public bool AllFinished => _rows.All(r => r.IsFinished);

    /// <summary>Width of a logits row (the vocabulary size).</summary>
    public int VocabularySize => _state.OutputWidth;

    /// <summary>LM work done by this batch so far.</summary>
    public DecoderCounters Counters => _state.Counters;

    /// <summary>Next-token logits of an unfinished row.</summary>
    public ReadOnlySpan<float> Logits(int row)
    {
        int p = _physical[row];
        if (p < 0) throw new InvalidOperationException($"Row {row} has finished ({_rows[row].FinishReason}); it has no next-token logits.");
        return _state.Output(p);
    }

    /// <summary>
    /// Appends one token to every unfinished row (<paramref name="tokens"/> has one entry per row; entries of finished
    /// rows are ignored), marks rows that hit EOS, a stop string or their length limit as finished, and runs the model
    /// on the rows that go on.
    /// </summary>
    public void Append(ReadOnlySpan<int> tokens)
    {
        if (tokens.Length != _rows.Count)
            throw new ArgumentException($"Append needs one token per row: got {tokens.Length} for {_rows.Count} rows.", nameof(tokens));
        bool anyFinished = false;
        int active = 0;
        for (int i = 0; i < _rows.Count; i++)
        {
            var row = _rows[i];
            if (row.IsFinished) continue;
            int token = tokens[i];
            if ((uint)token >= (uint)_state.OutputWidth)
                throw new ArgumentOutOfRangeException(nameof(tokens), token, $"Token {token} for row {i} is outside the vocabulary [0, {_state.OutputWidth}).");
            if (_options.StopAtEos && _config.EosTokenIds.Contains(token))
            {
                row.Finish(FinishReason.Eos);
            }
            else
            {
                row.AddToken(token);
                if (_stops.Matches(row.GeneratedTokens)) row.Finish(FinishReason.Stop);
                else if (row.GeneratedTokens.Count >= row.MaxNewTokens) row.Finish(FinishReason.Length);
            }
            if (row.IsFinished) anyFinished = true;
            else active++;
        }

        if (anyFinished) Compact();
        if (active == 0) return;
        if (_scratch.Length < active) _scratch = new int[Math.Max(active, _scratch.Length * 2)];
        var feed = new Span<int>(_scratch, 0, _state.RowCount);
        for (int i = 0; i < _rows.Count; i++)
            if (_physical[i] >= 0) feed[_physical[i]] = tokens[i];
        _state.Step(feed);
    }

    /// <summary>
    /// Rearranges rows: new row i is a copy of old row <c>sourceRows[i]</c> (its tokens, state and model cache).
    /// A row may appear several times (fork) or not at all (drop).
    /// </summary>
    public void Fork(ReadOnlySpan<int> sourceRows)
    {
        var newRows = new List<SequenceRow>(sourceRows.Length);
        var newPhysical = new int[sourceRows.Length];
        var select = new List<int>();
        var copiesOf = new Dictionary<int, int>();
        for (int i = 0; i < sourceRows.Length; i++)
        {
            int s = sourceRows[i];
            if ((uint)s >= (uint)_rows.Count) throw new ArgumentOutOfRangeException(nameof(sourceRows), s, $"Source row must be in [0, {_rows.Count}).");
            int copy = copiesOf.TryGetValue(s, out var c) ? c : 0;
            copiesOf[s] = copy + 1;
            newRows.Add(_rows[s].Copy(copy == 0 ? _rows[s].SampleIndex : _rows[s].SampleIndex + copy));
            if (_physical[s] >= 0) { newPhysical[i] = select.Count; select.Add(_physical[s]); }
            else newPhysical[i] = -1;
        }
        if (select.Count > 0 || _state.RowCount > 0) _state.SelectRows(select.ToArray());
        _rows = newRows;
        _physical = newPhysical;
    }

    /// <summary>Replaces row <paramref name="target"/> with a copy of row <paramref name="source"/>, prompt included (see <see cref="AdoptResponses"/> to keep the prompt).</summary>
    public void Replace(int target, int source)
    {
        var map = Enumerable.Range(0, _rows.Count).ToArray();
        map[target] = source;
        int sample = _rows[target].SampleIndex;
        Fork(map);
        _rows[target].SampleIndex = sample;
    }

    /// <summary>
    /// DARWIN's replacement: for each (target, source) pair, row target keeps its own prompt but takes row source's
    /// response (tokens and finish state). Its model cache is copied from the source when both prompts are the same
    /// tokens; otherwise it is re-prefilled from its own prompt plus the adopted response (one model call for all such
    /// rows), exactly as if it had generated that response itself. A source may serve several targets but may not be a
    /// target. Returns what happened to each target's cache.
    /// </summary>
    public ResponseAdoption[] AdoptResponses(IReadOnlyList<(int Target, int Source)> replacements)
    {
        ArgumentNullException.ThrowIfNull(replacements);
        var result = new ResponseAdoption[replacements.Count];
        if (replacements.Count == 0) return result;
        var isTarget = new bool[_rows.Count];
        foreach (var (t, s) in replacements)
        {
            if ((uint)t >= (uint)_rows.Count) throw new ArgumentOutOfRangeException(nameof(replacements), t, $"Target row must be in [0, {_rows.Count}).");
            if ((uint)s >= (uint)_rows.Count) throw new ArgumentOutOfRangeException(nameof(replacements), s, $"Source row must be in [0, {_rows.Count}).");
            if (isTarget[t]) throw new ArgumentException($"Row {t} is the target of two replacements; give each target one source.", nameof(replacements));
            isTarget[t] = true;
        }
        foreach (var (t, s) in replacements)
            if (isTarget[s]) throw new ArgumentException($"Row {s} is both a source and a target; sources must keep their responses.", nameof(replacements));

        var newRows = _rows.ToList();
        var cacheSource = Enumerable.Range(0, _rows.Count).ToArray();   // logical row whose physical cache a row starts from
        var refill = new List<int>();
        for (int i = 0; i < replacements.Count; i++)
        {
            var (t, s) = replacements[i];
            var adopted = _rows[t].WithResponseOf(_rows[s]);
            newRows[t] = adopted;
            if (adopted.IsFinished)
            {
                result[i] = ResponseAdoption.Finished;
            }
            else if (TokenSequenceComparer.Instance.Equals(_rows[t].PromptTokens, _rows[s].PromptTokens))
            {
                result[i] = ResponseAdoption.CopiedCache;
                cacheSource[t] = s;
            }
            else
            {
                result[i] = ResponseAdoption.Refilled;
                if (_physical[t] < 0) cacheSource[t] = s;   // a placeholder row; the refill overwrites it
                refill.Add(t);
            }
        }

        var select = new List<int>();
        var newPhysical = new int[newRows.Count];
        for (int i = 0; i < newRows.Count; i++)
        {
            if (newRows[i].IsFinished || _physical[cacheSource[i]] < 0) { newPhysical[i] = -1; continue; }
            newPhysical[i] = select.Count;
            select.Add(_physical[cacheSource[i]]);
        }
        if (select.Count > 0 || _state.RowCount > 0) _state.SelectRows(select.ToArray());
        if (refill.Count > 0)
        {
            var rows = refill.Select(t => newPhysical[t]).ToArray();
            var tokens = refill.Select(t => (IReadOnlyList<int>)newRows[t].PromptTokens.Concat(newRows[t].GeneratedTokens).ToArray()).ToArray();
            _state.Refill(rows, tokens);
        }
        _rows = newRows;
        _physical = newPhysical;
        return result;
    }

    /// <summary>
    /// Rolls running rows back to an earlier response length (CARDS' rejected segments): row <c>Row</c> keeps its first
    /// <c>Length</c> generated tokens. Until the decoder state can cut a row's cache in place, the kept prompt and
    /// response are re-prefilled (one model call for all rows; the work counts in <see cref="Counters"/>).
    /// </summary>
    internal void RollBack(IReadOnlyList<(int Row, int Length)> rows)
    {
        if (rows.Count == 0) return;
        var physical = new int[rows.Count];
        var tokens = new IReadOnlyList<int>[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            var (r, length) = rows[i];
            if ((uint)r >= (uint)_rows.Count) throw new ArgumentOutOfRangeException(nameof(rows), r, $"Row must be in [0, {_rows.Count}).");
            var row = _rows[r];
            if (row.IsFinished) throw new InvalidOperationException($"Row {r} has finished ({row.FinishReason}); only running rows roll back.");
            if (length < 0 || length > row.GeneratedTokens.Count)
                throw new ArgumentOutOfRangeException(nameof(rows), length, $"Row {r} holds {row.GeneratedTokens.Count} generated tokens; it cannot roll back to {length}.");
            row.TruncateGenerated(length);
            physical[i] = _physical[r];
            tokens[i] = row.PromptTokens.Concat(row.GeneratedTokens).ToArray();
        }
        _state.Refill(physical, tokens);
    }

    private void Compact()
    {
        var keep = new List<int>();
        for (int i = 0; i < _rows.Count; i++)
        {
            int p = _physical[i];
            if (p < 0) continue;
            if (_rows[i].IsFinished) { _physical[i] = -1; continue; }
            _physical[i] = keep.Count;
            keep.Add(p);
        }
        _state.SelectRows(keep.ToArray());
    }

    public void Dispose() => _state.Dispose();
}
