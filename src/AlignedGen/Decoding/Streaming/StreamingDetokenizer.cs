using AlignedGen.Tokenization;
using AlignedGen.Tokenization.Pipeline;

namespace AlignedGen.Decoding;

/// <summary>
/// Turns one row's growing token list into text pieces that never have to be taken back, so the pieces concatenated
/// equal the final response text. Each step decodes the whole response (SentencePiece's dropped first space, byte
/// fallback runs and byte-level BPE all depend on neighbouring tokens; decoding the whole list keeps every rule of the
/// tokenizer's decoder, at the cost of O(length) per step, small beside a model step) and emits what is safe:
/// trailing U+FFFD (an incomplete UTF-8 sequence the next token may complete) is held back, so is a trailing run of
/// byte-fallback pieces (valid until an invalid byte joins it), and so is a suffix that could still grow into a stop string (the response is cut before a stop string). This relies on decoded text only
/// growing at its end as tokens are added, which holds for the decoders the loader builds (byte-level, Metaspace,
/// byte fallback, WordPiece, BPE suffix) and tiktoken; <see cref="Finish"/> checks it.
/// </summary>
internal sealed class StreamingDetokenizer
{
    private readonly ITextTokenizer _tokenizer;
    private readonly IReadOnlyList<string> _stops;
    private readonly System.Text.StringBuilder _emitted = new();

    public StreamingDetokenizer(ITextTokenizer tokenizer, IReadOnlyList<string> stopStrings)
    {
        _tokenizer = tokenizer;
        _stops = stopStrings;
    }

    /// <summary>Characters emitted so far.</summary>
    public int EmittedLength => _emitted.Length;

    /// <summary>The text of <paramref name="generated"/> (a running row's tokens) that is safe to show and was not shown yet.</summary>
    public string Next(IReadOnlyList<int> generated)
    {
        // A run of byte-fallback pieces (<0xNN>) is decoded as a whole: one invalid byte turns the run's every byte,
        // valid ones too, into U+FFFD. Its text is settled only when a non-byte token (or the end) closes it.
        int settledTokens = generated.Count;
        while (settledTokens > 0 && IsBytePiece(generated[settledTokens - 1])) settledTokens--;
        var text = _tokenizer.Decode(settledTokens == generated.Count ? generated : generated.Take(settledTokens), skipSpecialTokens: true);
        int end = text.Length;
        while (end > 0 && text[end - 1] == '\uFFFD') end--;
        var settled = text.AsSpan(0, end);
        int stop = FirstStop(settled);
        end = stop >= 0 ? stop : end - LongestStopPrefixAtEnd(settled);
        return Emit(text, end);
    }

    /// <summary>The rest of <paramref name="finalText"/> (the response as the result holds it) after what was emitted.</summary>
    public string Finish(string finalText)
    {
        if (!finalText.AsSpan().StartsWith(_emitted.ToString()))
            throw new InvalidOperationException(
                $"Streamed text '{_emitted}' is not the start of the final response '{finalText}': the tokenizer's decoded text changed before its end as tokens were added, "
                + "or the strategy answered with other tokens than it streamed (a strategy whose StreamsTokens is true must answer prompt i with row i of its batch).");
        return Emit(finalText, finalText.Length);
    }

    private string Emit(string text, int end)
    {
        if (end <= _emitted.Length) return "";
        var piece = text[_emitted.Length..end];
        _emitted.Append(piece);
        return piece;
    }

    private bool IsBytePiece(int id) => _tokenizer.IdToToken(id) is { Length: 6 } token && ByteFallbackDecoder.TryParseByte(token, out _);

    private int FirstStop(ReadOnlySpan<char> text)
    {
        int first = -1;
        foreach (var s in _stops)
        {
            int i = text.IndexOf(s, StringComparison.Ordinal);
            if (i >= 0 && (first < 0 || i < first)) first = i;
        }
        return first;
    }

    /// <summary>Length of the longest end of <paramref name="text"/> that is the start of a stop string (it may become one).</summary>
    private int LongestStopPrefixAtEnd(ReadOnlySpan<char> text)
    {
        int longest = 0;
        foreach (var s in _stops)
            for (int n = Math.Min(s.Length - 1, text.Length); n > longest; n--)
                if (text.EndsWith(s.AsSpan(0, n), StringComparison.Ordinal)) { longest = n; break; }
        return longest;
    }
}
