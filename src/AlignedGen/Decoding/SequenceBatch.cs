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

    /// <summary>Replaces row <paramref name="target"/> with a copy of row <paramref name="source"/> (DARWIN's replacement).</summary>
    public void Replace(int target, int source)
    {
        var map = Enumerable.Range(0, _rows.Count).ToArray();
        map[target] = source;
        int sample = _rows[target].SampleIndex;
        Fork(map);
        _rows[target].SampleIndex = sample;
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
