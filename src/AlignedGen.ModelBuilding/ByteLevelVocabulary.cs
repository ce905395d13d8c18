using System.Text;
using AlignedGen.Tokenization;

namespace AlignedGen.ModelBuilding;

/// <summary>
/// The vocabulary of the built byte-level models: ids 0..255 are the bytes (GPT-2 byte-to-unicode symbols in
/// tokenizer.json, no merges), then &lt;s&gt; = 256, &lt;/s&gt; = 257, &lt;pad&gt; = 258.
/// </summary>
public static class ByteLevelVocabulary
{
    /// <summary>Number of ids (256 bytes + 3 special tokens).</summary>
    public const int Size = 259;

    /// <summary>Id of &lt;s&gt; (beginning of text; the tokenizer's post-processor adds it).</summary>
    public const int BosId = 256;

    /// <summary>Id of &lt;/s&gt; (end of text).</summary>
    public const int EosId = 257;

    /// <summary>Id of &lt;pad&gt;.</summary>
    public const int PadId = 258;

    /// <summary>Token string of <see cref="BosId"/>.</summary>
    public const string BosToken = "<s>";

    /// <summary>Token string of <see cref="EosId"/>.</summary>
    public const string EosToken = "</s>";

    /// <summary>Token string of <see cref="PadId"/>.</summary>
    public const string PadToken = "<pad>";

    private static readonly string[] Symbols = BuildSymbols();

    /// <summary>BOS 256, EOS [257], PAD 258, no UNK.</summary>
    public static SpecialTokenIds SpecialTokens { get; } = new(BosId, [EosId], PadId, null);

    /// <summary>GPT-2's printable stand-in for a byte (e.g. space → "Ġ", newline → "Ċ").</summary>
    public static string ByteToSymbol(byte value) => Symbols[value];

    /// <summary>The token string of an id: a byte symbol or a special token.</summary>
    public static string TokenOf(int id) => id switch
    {
        >= 0 and < 256 => Symbols[id],
        BosId => BosToken,
        EosId => EosToken,
        PadId => PadToken,
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, $"Ids are 0..{Size - 1}."),
    };

    /// <summary>Ids of the UTF-8 bytes of <paramref name="text"/> (what the tokenizer gives without special tokens).</summary>
    public static int[] EncodeBytes(string text) => Encoding.UTF8.GetBytes(text).Select(b => (int)b).ToArray();

    /// <summary>Text of the byte ids (special ids are dropped; invalid UTF-8 becomes U+FFFD).</summary>
    public static string Decode(IEnumerable<int> ids) =>
        Encoding.UTF8.GetString(ids.Where(id => id is >= 0 and < 256).Select(id => (byte)id).ToArray());

    /// <summary>GPT-2 bytes_to_unicode: printable Latin-1 bytes map to themselves, the other 68 to U+0100 onward in byte order.</summary>
    private static string[] BuildSymbols()
    {
        var symbols = new string[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            symbols[b] = ((char)(printable ? b : next++)).ToString();
        }
        return symbols;
    }
}
