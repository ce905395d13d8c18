namespace AlignedGen.Decoding;

/// <summary>
/// Produces a run's <see cref="GenerationUpdate"/>s. For a strategy whose tokens are final as they are chosen
/// (<see cref="IDecodingStrategy.StreamsTokens"/>) it watches the batch's appends and writes each row's new tokens and
/// safe text at once (before the model step that follows, so the reader shows them while the model runs); a row's
/// text is complete when it finishes. Every request then gets its last update, with the result, when its batch ends
/// (strategies that decide at the end send all their text there).
/// </summary>
internal sealed class GenerationUpdateWriter
{
    private readonly Action<GenerationUpdate> _write;
    // Requests started and not yet finished, by position in the run: a batch may run as several sub-batches (memory
    // budget) before its results are handed out.
    private readonly Dictionary<int, RowStream> _open = new();
    private int _next;

    public GenerationUpdateWriter(Action<GenerationUpdate> write) => _write = write;

    /// <summary>
    /// Starts a batch: its row i is request <paramref name="runIndexes"/>[i] of the run. A request already open (a row
    /// decoded again alone after its batch failed; its seed gives it the same tokens) continues its stream, so nothing
    /// is sent twice.
    /// </summary>
    public void Watch(SequenceBatch batch, DecodingContext context, IDecodingStrategy strategy, IReadOnlyList<int> runIndexes)
    {
        var rows = new RowStream[batch.Count];
        for (int i = 0; i < rows.Length; i++)
        {
            if (!_open.TryGetValue(runIndexes[i], out var open))
                _open[runIndexes[i]] = open = new RowStream(runIndexes[i], new StreamingDetokenizer(context.Model.Tokenizer, context.Options.StopStrings), context.Requests[i].Id);
            rows[i] = open;
        }
        if (strategy.StreamsTokens) batch.ObserveAppends(b => Appended(b, rows, context));
    }

    /// <summary>Opens a request that is not decoded (a failed row): it gets only its last update, with its result.</summary>
    public void Open(int runIndex, string? id, Tokenization.ITextTokenizer tokenizer, IReadOnlyList<string> stopStrings) =>
        _open[runIndex] = new RowStream(runIndex, new StreamingDetokenizer(tokenizer, stopStrings), id);

    /// <summary>Writes the last update of the next request in run order (results arrive in request order).</summary>
    public void Finished(GenerationResult result)
    {
        int index = _next++;
        if (!_open.Remove(index, out var row))
            throw new InvalidOperationException($"Request {index} finished before its batch started.");
        _write(new GenerationUpdate
        {
            Index = index,
            Id = result.Id,
            // A row that failed (FinishReason.Error) ends without more text: what streamed before the failure stays
            // sent, and the result says the row failed.
            Text = result.FinishReason == FinishReason.Error ? "" : row.Text.Finish(result.Text),
            TokenIds = result.TokenIds.Skip(row.TokensSent).ToArray(),
            Result = result,
        });
    }

    private void Appended(SequenceBatch batch, RowStream[] rows, DecodingContext context)
    {
        for (int i = 0; i < rows.Length; i++)
        {
            var stream = rows[i];
            var row = batch[i];
            if (stream.RowFinished) continue;
            var tokens = row.GeneratedTokens;
            var added = tokens.Skip(stream.TokensSent).ToArray();
            stream.TokensSent = tokens.Count;
            // A finished row's text is final: all of it goes out (the result's text is the same ResponseText).
            stream.RowFinished = row.IsFinished;
            var text = row.IsFinished ? stream.Text.Finish(context.ResponseText(row)) : stream.Text.Next(tokens);
            if (added.Length == 0 && text.Length == 0) continue;
            _write(new GenerationUpdate { Index = stream.Index, Id = stream.Id, Text = text, TokenIds = added });
        }
    }

    private sealed class RowStream(int index, StreamingDetokenizer text, string? id)
    {
        public int Index { get; } = index;
        public StreamingDetokenizer Text { get; } = text;
        public string? Id { get; } = id;
        public int TokensSent { get; set; }
        public bool RowFinished { get; set; }
    }
}
