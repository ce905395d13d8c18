namespace AlignedGen.Models;

/// <summary>
/// One running batch of sequences inside a decoder with a KV cache (onnxruntime-genai's "State"). Rows are
/// independent sequences; after every call <see cref="Output"/> holds each row's output at its last position
/// (next-token logits for a causal LM, the reward for a cached reward model). No ONNX Runtime type leaks out.
/// </summary>
public interface IDecoderState : IDisposable
{
    /// <summary>Number of rows (sequences) in the batch.</summary>
    int RowCount { get; }

    /// <summary>Width of each row's output: the vocabulary size for logits, 1 for per-position scores.</summary>
    int OutputWidth { get; }

    /// <summary>Tokens each row holds in the cache (its real tokens, padding excluded).</summary>
    int Length(int row);

    /// <summary>
    /// Feeds new tokens to every row; rows may get different numbers of tokens (shorter chunks are padded and masked).
    /// On a fresh state this is the prefill. Every row must get at least one token. After the prefill,
    /// GroupQueryAttention graphs take equal chunks only, and ONNX Runtime's CPU kernel more than one token per row
    /// only in a batch of one row.
    /// </summary>
    void Extend(IReadOnlyList<IReadOnlyList<int>> tokensPerRow);

    /// <summary>Feeds exactly one token per row (the decoding hot path).</summary>
    void Step(ReadOnlySpan<int> tokens);

    /// <summary>
    /// Rearranges rows: new row i becomes a copy of old row <c>sourceRows[i]</c> (cache and last output). Drops,
    /// duplicates (forks) and reorders rows in one copy.
    /// </summary>
    void SelectRows(ReadOnlySpan<int> sourceRows);

    /// <summary>
    /// Re-prefills some rows from scratch: row <c>rows[i]</c> forgets its cache and holds exactly
    /// <c>tokensPerRow[i]</c> afterwards (one model call over those rows only); the other rows keep their caches and
    /// outputs. DARWIN uses it when a beam takes another beam's response after its own, different instruction.
    /// </summary>
    void Refill(ReadOnlySpan<int> rows, IReadOnlyList<IReadOnlyList<int>> tokensPerRow);

    /// <summary>
    /// For rows that share everything but their last token (k candidates of one prefix), overwrites each row's cache
    /// entry at its last position with that of row <c>sourceRows[i]</c> — in place, no gather. ARGS uses it to turn k
    /// candidate rows into k copies of the chosen one. Both rows must hold the same number of tokens.
    /// </summary>
    void CopyLastPosition(ReadOnlySpan<int> sourceRows);

    /// <summary>
    /// Cuts rows back: row <c>rows[i]</c> keeps its first <c>lengths[i]</c> tokens (at least one) and is as if the rest
    /// had never been fed — no model call, nothing recomputed. A row that lost tokens has no output until the next
    /// <see cref="Step"/> or <see cref="Extend"/> feeds it (its next-token output needs its new last token: feed it
    /// again). For rolling back a rejected segment (CARDS) without recomputing the prefix.
    /// </summary>
    void Truncate(ReadOnlySpan<int> rows, ReadOnlySpan<int> lengths);

    /// <summary>The last-position output of <paramref name="row"/> as floats (a float16 model's row is widened on first read).</summary>
    ReadOnlySpan<float> Output(int row);

    /// <summary>The last-position output of <paramref name="row"/> as the model wrote it (float16 models: in place, no copy).</summary>
    OutputRow OutputView(int row) => new(Output(row));

    /// <summary>What the model has been asked to do so far.</summary>
    DecoderCounters Counters { get; }
}
