using System.Text;

namespace AlignedGen.Tokenization.Pipeline;

/// <summary>Runs decoders in order (HF <c>Sequence</c>).</summary>
internal sealed class SequenceDecoder(IReadOnlyList<ITokenDecoder> steps) : ITokenDecoder
{
    public void Decode(List<string> tokens)
    {
        foreach (var step in steps) step.Decode(tokens);
    }
}

/// <summary>HF <c>ByteLevel</c> decoder: byte-level chars back to bytes (a token with other chars keeps its UTF-8), then lossy UTF-8.</summary>
internal sealed class ByteLevelDecoder : ITokenDecoder
{
    public void Decode(List<string> tokens)
    {
        var bytes = new List<byte>(tokens.Count * 4);
        foreach (var token in tokens) bytes.AddRange(TokenBytes(token));
        tokens.Clear();
        tokens.Add(Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes)));
    }

    /// <summary>The bytes one token stands for (precomputed per id by <see cref="TextTokenizer"/> for a fast path).</summary>
    public static byte[] TokenBytes(string token)
    {
        var map = ByteLevelAlphabet.CharToByte;
        foreach (var ch in token)
        {
            if (ch >= map.Length || map[ch] < 0) return Encoding.UTF8.GetBytes(token);
        }
        var result = new byte[token.Length];
        for (var i = 0; i < token.Length; i++) result[i] = (byte)map[token[i]];
        return result;
    }
}

/// <summary>HF <c>Replace</c> decoder (e.g. "▁" to " ").</summary>
internal sealed class ReplaceDecoder(ReplaceNormalizer replacement) : ITokenDecoder
{
    public void Decode(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++) tokens[i] = replacement.Apply(tokens[i]);
    }
}

/// <summary>HF <c>ByteFallback</c>: runs of &lt;0xNN&gt; tokens become their UTF-8 text, or one U+FFFD per byte when invalid.</summary>
internal sealed class ByteFallbackDecoder : ITokenDecoder
{
    public void Decode(List<string> tokens)
    {
        var result = new List<string>(tokens.Count);
        var pending = new List<byte>();
        foreach (var token in tokens)
        {
            if (TryParseByte(token, out var b)) { pending.Add(b); continue; }
            Flush(pending, result);
            result.Add(token);
        }
        Flush(pending, result);
        tokens.Clear();
        tokens.AddRange(result);
    }

    internal static bool TryParseByte(string token, out byte value)
    {
        value = 0;
        return token.Length == 6 && token.StartsWith("<0x", StringComparison.Ordinal) && token[5] == '>'
            && byte.TryParse(token.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, null, out value);
    }

    private static void Flush(List<byte> pending, List<string> result)
    {
        if (pending.Count == 0) return;
        var bytes = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(pending);
        if (System.Text.Unicode.Utf8.IsValid(bytes)) result.Add(Encoding.UTF8.GetString(bytes));
        else for (var i = 0; i < pending.Count; i++) result.Add("\uFFFD");
        pending.Clear();
    }
}

/// <summary>HF <c>Fuse</c>: joins all tokens into one.</summary>
internal sealed class FuseDecoder : ITokenDecoder
{
    public void Decode(List<string> tokens)
    {
        if (tokens.Count <= 1) return;
        var joined = string.Concat(tokens);
        tokens.Clear();
        tokens.Add(joined);
    }
}

/// <summary>HF <c>Strip</c>: removes up to <c>start</c> leading and <c>stop</c> trailing <c>content</c> chars from each token.</summary>
internal sealed class StripDecoder(char content, int start, int stop) : ITokenDecoder
{
    public void Decode(List<string> tokens)
    {
        for (var t = 0; t < tokens.Count; t++)
        {
            var token = tokens[t];
            var from = 0;
            while (from < start && from < token.Length && token[from] == content) from++;
            var to = token.Length;
            var removed = 0;
            while (removed < stop && to > from && token[to - 1] == content) { to--; removed++; }
            if (from > 0 || to < token.Length) tokens[t] = token[from..to];
        }
    }
}

/// <summary>HF <c>Metaspace</c> decoder: replacement char to space; in the first token it is dropped unless the scheme is "never".</summary>
internal sealed class MetaspaceDecoder(char replacement, MetaspacePrependScheme scheme) : ITokenDecoder
{
    public void Decode(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            tokens[i] = i == 0 && scheme != MetaspacePrependScheme.Never
                ? tokens[i].Replace(replacement.ToString(), "", StringComparison.Ordinal)
                : tokens[i].Replace(replacement, ' ');
        }
    }
}

/// <summary>HF <c>WordPiece</c> decoder: "##" pieces glue on, others get a space; optional per-token cleanup.</summary>
internal sealed class WordPieceDecoder(string prefix, bool cleanup) : ITokenDecoder
{
    public void Decode(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (i != 0) token = token.StartsWith(prefix, StringComparison.Ordinal) ? token[prefix.Length..] : " " + token;
            if (cleanup) token = Cleanup(token);
            tokens[i] = token;
        }
    }

    /// <summary>HF's <c>cleanup</c>: removes spaces before punctuation and English contractions.</summary>
    internal static string Cleanup(string s)
    {
        if (s.AsSpan().IndexOfAny(".?!,'") < 0 && !s.Contains(" do not", StringComparison.Ordinal)) return s;
        return s.Replace(" .", ".").Replace(" ?", "?").Replace(" !", "!").Replace(" ,", ",").Replace(" ' ", "'")
            .Replace(" n't", "n't").Replace(" 'm", "'m").Replace(" do not", " don't").Replace(" 's", "'s")
            .Replace(" 've", "'ve").Replace(" 're", "'re");
    }
}

/// <summary>HF <c>BPEDecoder</c>: the end-of-word suffix becomes a space (nothing after the last token).</summary>
internal sealed class BpeSuffixDecoder(string suffix) : ITokenDecoder
{
    public void Decode(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
            tokens[i] = tokens[i].Replace(suffix, i == tokens.Count - 1 ? "" : " ", StringComparison.Ordinal);
    }
}
