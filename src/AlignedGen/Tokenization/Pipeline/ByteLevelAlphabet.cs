namespace AlignedGen.Tokenization.Pipeline;

/// <summary>GPT-2's reversible byte-to-printable-char table (bytes_to_unicode), as Hugging Face's ByteLevel uses it.</summary>
internal static class ByteLevelAlphabet
{
    /// <summary>The char that stands for each byte.</summary>
    public static readonly char[] ByteToChar = Build();

    /// <summary>The byte of each char in the table, -1 for chars outside it (indexed by char code, length 0x144).</summary>
    public static readonly short[] CharToByte = BuildReverse();

    private static char[] Build()
    {
        var map = new char[256];
        var n = 0;
        for (var b = 0; b < 256; b++)
        {
            var printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char)b : (char)(256 + n++);
        }
        return map;
    }

    private static short[] BuildReverse()
    {
        var reverse = new short[0x144];
        Array.Fill(reverse, (short)-1);
        for (var b = 0; b < 256; b++) reverse[ByteToChar[b]] = (short)b;
        return reverse;
    }

    /// <summary>Maps the UTF-8 bytes of <paramref name="text"/> to byte-level chars.</summary>
    public static string Encode(ReadOnlySpan<char> text)
    {
        var max = System.Text.Encoding.UTF8.GetMaxByteCount(text.Length);
        Span<byte> bytes = max <= 1024 ? stackalloc byte[max] : new byte[max];
        var count = System.Text.Encoding.UTF8.GetBytes(text, bytes);
        Span<char> chars = count <= 1024 ? stackalloc char[count] : new char[count];
        for (var i = 0; i < count; i++) chars[i] = ByteToChar[bytes[i]];
        return new string(chars[..count]);
    }
}
