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
    private readonly RequestWork _work = new();
    private Action<SequenceBatch>? _appended;   // streaming: called after each Append (see ObserveAppends)

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
        var fed = new HashSet<SequenceRow>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < rows.Count; i++)
        {
            if (rows[i].GeneratedTokens.Count > 0 || rows[i].IsFinished)
                throw new ArgumentException($"Row {i} has already generated tokens; a new batch starts from prompts only.", nameof(rows));
            if (!firstOf.TryGetValue(rows[i].PromptTokens, out int u))
            {
                u = unique.Count;
                firstOf[rows[i].PromptTokens] = u;
                fed.Add(rows[i]);
                unique.Add(rows[i].PromptTokens);
            }
            source[i] = u;
        }
        var state = model.CreateState();
        try
        {
            state.Extend(unique);
            if (unique.Count < rows.Count) state.SelectRows(source);
            var batch = new SequenceBatch(model, state, rows, options);
            // Every row's request took part in the prefill; only the first row of each distinct prompt fed its positions.
            batch._work.Count(rows, r => fed.Contains(r) ? r.PromptTokens.Count : 0);
            return batch;
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

    /// <summary>
    /// LM work attributable to one request (prompt): the model calls its rows took part in and the positions they fed
    /// (padding excluded). It does not depend on what else is in the batch.
    /// </summary>
    internal (long Calls, long Tokens) WorkOf(int requestIndex) => _work.Of(requestIndex);

    /// <summary>Prefills the batch's rows from their prompts (one model call): a new batch's first step.</summary>
    internal void Prefill()
    {
        _state.Extend(_rows.Select(r => r.PromptTokens).ToArray());
        _work.Count(_rows, r => r.PromptTokens.Count);
    }

    /// <summary>Next-token logits of an unfinished row, as floats (a float16 model's row is widened on first read).</summary>
    public ReadOnlySpan<float> Logits(int row) => _state.Output(PhysicalRow(row));

    /// <summary>Next-token logits of an unfinished row as the model wrote them: a float16 model's are read in place, not copied.</summary>
    public OutputRow LogitsView(int row) => _state.OutputView(PhysicalRow(row));

    private int PhysicalRow(int row)
    {
        int p = _physical[row];
        if (p < 0) throw new InvalidOperationException($"Row {row} has finished ({_rows[row].FinishReason}); it has no next-token logits.");
        return p;
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

        _appended?.Invoke(this);
        if (anyFinished) Compact();
        if (active == 0) return;
        if (_scratch.Length < active) _scratch = new int[Math.Max(active, _scratch.Length * 2)];
        var feed = new Span<int>(_scratch, 0, _state.RowCount);
        for (int i = 0; i < _rows.Count; i++)
            if (_physical[i] >= 0) feed[_physical[i]] = tokens[i];
        _state.Step(feed);
        _work.Count(Running(), _ => 1);
    }

    /// <summary>The rows in the model's batch, one per physical row (forks that share a cache row count once).</summary>
    private IEnumerable<SequenceRow> Running()
    {
        var seen = new bool[_state.RowCount];
        for (int i = 0; i < _rows.Count; i++)
        {
            int p = _physical[i];
            if (p < 0 || seen[p]) continue;
            seen[p] = true;
            yield return _rows[i];
        }
    }

    /// <summary>
    /// Rearranges rows: new row i is a copy of old row <c>sourceRows[i]</c> (its tokens, state and model cache).
    /// A row may appear several times (fork) or not at all (drop).
    /// </summary>
    public void Fork(ReadOnlySpan<int> sourceRows)
    {
        ThrowIfObserved(nameof(Fork));
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
        ThrowIfObserved(nameof(AdoptResponses));
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
            _work.Count(refill.Select(t => newRows[t]), r => r.PromptTokens.Count + r.GeneratedTokens.Count);
        }
        _rows = newRows;
        _physical = newPhysical;
        return result;
    }

    /// <summary>
    /// Cuts running rows back to an earlier response length without a model call, for strategies that kept the logits
    /// they need (CARDS keeps each segment's start logits): row <c>Row</c> keeps its first <c>Length</c> generated
    /// tokens, its cache is cut in place (<see cref="IDecoderState.Truncate"/>) and it has no logits until the next
    /// <see cref="Append"/> feeds it. <see cref="Rewind"/> also restores the logits (one extra step).
    /// </summary>
    internal void RollBack(IReadOnlyList<(int Row, int Length)> rows)
    {
        if (rows.Count == 0) return;
        var physical = new int[rows.Count];
        var lengths = new int[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            var (r, length) = rows[i];
            if ((uint)r >= (uint)_rows.Count) throw new ArgumentOutOfRangeException(nameof(rows), r, $"Row must be in [0, {_rows.Count}).");
            var row = _rows[r];
            if (row.IsFinished) throw new InvalidOperationException($"Row {r} has finished ({row.FinishReason}); only running rows roll back (Rewind revives finished ones).");
            if (length < 0 || length > row.GeneratedTokens.Count)
                throw new ArgumentOutOfRangeException(nameof(rows), length, $"Row {r} holds {row.GeneratedTokens.Count} generated tokens; it cannot roll back to {length}.");
            row.Rewind(length);
            physical[i] = _physical[r];
            lengths[i] = row.PromptTokens.Count + length;
        }
        _state.Truncate(physical, lengths);
    }

    /// <summary>
    /// Rolls rows back (CARDS's rejected segments): row <c>rows[i]</c> keeps the first <c>responseLengths[i]</c> of its
    /// generated tokens and runs again, also when it had finished. Running rows keep their model cache up to the cut —
    /// the prefix is not recomputed — and get their next-token logits from one model step that feeds every running
    /// row's last kept token again. Finished rows have left the model's batch: they are re-prefilled from prompt and
    /// kept tokens in one call.
    /// </summary>
    public void Rewind(ReadOnlySpan<int> rows, ReadOnlySpan<int> responseLengths)
    {
        ThrowIfObserved(nameof(Rewind));
        if (rows.Length != responseLengths.Length)
            throw new ArgumentException($"Rewind needs one response length per row: got {responseLengths.Length} for {rows.Length} rows.", nameof(responseLengths));
        var listed = new bool[_rows.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            int r = rows[i], keep = responseLengths[i];
            if ((uint)r >= (uint)_rows.Count) throw new ArgumentOutOfRangeException(nameof(rows), r, $"Row must be in [0, {_rows.Count}).");
            if (listed[r]) throw new ArgumentException($"Row {r} appears twice; rewind each row once.", nameof(rows));
            listed[r] = true;
            int count = _rows[r].GeneratedTokens.Count;
            if (keep < 0 || keep > count)
                throw new ArgumentOutOfRangeException(nameof(responseLengths), keep, $"Row {r} has generated {count} tokens; it can keep 0 to {count}.");
            if (keep >= _rows[r].MaxNewTokens)
                throw new ArgumentOutOfRangeException(nameof(responseLengths), keep, $"Row {r} may generate {_rows[r].MaxNewTokens} tokens; keep fewer so it can run again.");
        }
        bool cutRunning = false;
        var revive = new List<int>();
        for (int i = 0; i < rows.Length; i++)
        {
            int r = rows[i];
            if (_physical[r] < 0) revive.Add(r);
            else cutRunning |= responseLengths[i] < _rows[r].GeneratedTokens.Count;
            _rows[r].Rewind(responseLengths[i]);
        }
        if (cutRunning) RefeedRunningRows(revive);
        if (revive.Count > 0) Reprefill(revive);
    }

    /// <summary>All tokens of a row as the model sees them: prompt, then generated.</summary>
    private static int[] Sequence(SequenceRow row) => row.PromptTokens.Concat(row.GeneratedTokens).ToArray();

    /// <summary>
    /// Cuts every running row's cache back before its last token and feeds those tokens again (one step) so each has
    /// next-token logits for its current length. A row of one token cannot be cut before it: it joins <paramref name="reprefill"/>.
    /// </summary>
    private void RefeedRunningRows(List<int> reprefill)
    {
        var single = Enumerable.Range(0, _rows.Count).Where(i => _physical[i] >= 0 && _rows[i].PromptTokens.Count + _rows[i].GeneratedTokens.Count == 1).ToList();
        if (single.Count > 0)
        {
            foreach (var i in single) _physical[i] = -1;
            reprefill.AddRange(single);
            CompactPhysical();
        }
        if (_state.RowCount == 0) return;
        var physicalRows = new int[_state.RowCount];
        var lengths = new int[_state.RowCount];
        var feed = new int[_state.RowCount];
        for (int i = 0; i < _rows.Count; i++)
        {
            int p = _physical[i];
            if (p < 0) continue;
            var sequence = Sequence(_rows[i]);
            physicalRows[p] = p;
            lengths[p] = sequence.Length - 1;
            feed[p] = sequence[^1];
        }
        _state.Truncate(physicalRows, lengths);
        _state.Step(feed);
        _work.Count(Running(), _ => 1);
    }

    /// <summary>Brings rows back into the model's batch, prefilled from their prompt and kept tokens (one model call).</summary>
    private void Reprefill(List<int> rows)
    {
        var tokens = rows.Select(r => (IReadOnlyList<int>)Sequence(_rows[r])).ToArray();
        _work.Count(rows.Select(r => _rows[r]), r => r.PromptTokens.Count + r.GeneratedTokens.Count);
        int first = _state.RowCount;
        if (first == 0)
        {
            _state.Extend(tokens);
        }
        else
        {
            // Placeholder copies of row 0 make room; the refill overwrites them.
            var select = Enumerable.Range(0, first).Concat(Enumerable.Repeat(0, rows.Count)).ToArray();
            _state.SelectRows(select);
            _state.Refill(Enumerable.Range(first, rows.Count).ToArray(), tokens);
        }
        for (int j = 0; j < rows.Count; j++) _physical[rows[j]] = first + j;
    }

    /// <summary>
    /// Streaming (<see cref="GenerationUpdateWriter"/>): <paramref name="observer"/> runs after each <see cref="Append"/>,
    /// once tokens are added and finished rows marked, before the model step. An observed batch's rows are the answers
    /// as they grow, so it refuses to fork, adopt or rewind them.
    /// </summary>
    internal void ObserveAppends(Action<SequenceBatch> observer) => _appended = observer;

    private void ThrowIfObserved(string operation)
    {
        if (_appended is not null)
            throw new InvalidOperationException(
                $"{operation} rearranges rows of a batch whose tokens are being streamed: a strategy whose StreamsTokens is true must append to row i only (row i answers prompt i). Make StreamsTokens false for a strategy that forks, adopts or rewinds rows.");
    }

    private void Compact()
    {
        for (int i = 0; i < _rows.Count; i++)
            if (_rows[i].IsFinished) _physical[i] = -1;
        CompactPhysical();
    }

    /// <summary>Drops from the model's batch every physical row no logical row points to any more.</summary>
    private void CompactPhysical()
    {
        var keep = new List<int>();
        var renumbered = new int[_state.RowCount];
        Array.Fill(renumbered, -1);
        for (int i = 0; i < _rows.Count; i++)
        {
            int p = _physical[i];
            if (p < 0) continue;
            if (renumbered[p] < 0) { renumbered[p] = keep.Count; keep.Add(p); }
            _physical[i] = renumbered[p];
        }
        _state.SelectRows(keep.ToArray());
    }

    public void Dispose() => _state.Dispose();
}
