using System.Text;
using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Tests.ModelBuilding;
using AlignedGen.Tokenization;
using Xunit;

namespace AlignedGen.Tests.Decoding.Streaming;

/// <summary>
/// The incremental detokeniser on every kind of tokenizer the loader builds, fed one token at a time: the pieces never
/// hold half a character and, concatenated, equal the tokenizer's decode of all the tokens (the oracle: one plain Decode call).
/// </summary>
public sealed class StreamingDetokenizerTests
{
    private const string Multilingual = "Hé said: naïve café — 世界 🎉🇫🇷 ok. Ünïcödé ∑ x² → done!\nNext line, don't stop.";

    public static TheoryData<string> SharedTokenizers() => new()
    {
        "tokenizers/gpt2",                 // byte-level BPE
        "tokenizers/phi3",                 // SentencePiece-style BPE with byte fallback
        "models/stories260K",              // 512-piece SentencePiece (byte fallback for every non-ASCII character)
        "models/tiny-random-llama-fp32",   // Llama-2 (Metaspace, byte fallback)
        "models/rm-wordpiece",             // BERT WordPiece with cleanup
    };

    private static (List<string> Pieces, string Finished) Stream(ITextTokenizer tokenizer, IReadOnlyList<int> ids, params string[] stops)
    {
        var detokenizer = new StreamingDetokenizer(tokenizer, stops);
        var pieces = new List<string>();
        var generated = new List<int>();
        foreach (var id in ids)
        {
            generated.Add(id);
            pieces.Add(detokenizer.Next(generated));
        }
        var final = tokenizer.Decode(generated, skipSpecialTokens: true);
        if (stops.Length > 0) final = StopStringDetector.Cut(final, stops);
        pieces.Add(detokenizer.Finish(final));
        return (pieces, final);
    }

    /// <summary>The built models' byte-level tokenizer: no merges, so every UTF-8 byte is one token.</summary>
    internal static TextTokenizer ByteTokenizer(TempFolder temp)
    {
        ByteLevelTokenizerWriter.WriteAll(temp.Path, modelMaxLength: 64);
        return TokenizerLoader.FromFolder(temp.Path);
    }

    internal static void AssertWholeCharacters(IEnumerable<string> pieces)
    {
        foreach (var piece in pieces)
        {
            Assert.DoesNotContain('\uFFFD', piece);
            for (int i = 0; i < piece.Length; i++)
            {
                if (char.IsHighSurrogate(piece[i])) { Assert.True(i + 1 < piece.Length && char.IsLowSurrogate(piece[i + 1]), $"half a surrogate pair in '{piece}'"); i++; }
                else Assert.False(char.IsLowSurrogate(piece[i]), $"a lone low surrogate in '{piece}'");
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(SharedTokenizers))]
    public void Multilingual_text_streams_in_whole_characters_and_adds_up_to_the_decode(string folder)
    {
        var tokenizer = TokenizerLoader.FromFolder(SharedFolder.Require(folder.Split('/')));
        var ids = tokenizer.Encode(Multilingual, addSpecialTokens: false);
        var (pieces, final) = Stream(tokenizer, ids);
        Assert.Equal(final, string.Concat(pieces));
        AssertWholeCharacters(pieces);
    }

    [SkippableTheory]
    [MemberData(nameof(SharedTokenizers))]
    public void Random_token_sequences_add_up_to_the_decode(string folder)
    {
        // Any ids at all, special tokens and invalid byte runs included: the pieces must still add up exactly.
        var tokenizer = TokenizerLoader.FromFolder(SharedFolder.Require(folder.Split('/')));
        // Byte-fallback pieces (<0xNN>) drawn half the time, so runs of bytes — valid, incomplete and invalid — are common.
        var bytePieces = Enumerable.Range(0, tokenizer.VocabularySize).Where(id => tokenizer.IdToToken(id) is { Length: 6 } t && t.StartsWith("<0x", StringComparison.Ordinal)).ToArray();
        var random = new Random(17);
        for (int trial = 0; trial < 200; trial++)
        {
            var ids = Enumerable.Range(0, random.Next(1, 40))
                .Select(_ => bytePieces.Length > 0 && random.Next(2) == 0 ? bytePieces[random.Next(bytePieces.Length)] : random.Next(tokenizer.VocabularySize)).ToArray();
            var (pieces, final) = Stream(tokenizer, ids);
            Assert.Equal(final, string.Concat(pieces));
        }
    }

    [Fact]
    public void A_character_split_across_byte_tokens_arrives_whole()
    {
        using var temp = new TempFolder();
        var tokenizer = ByteTokenizer(temp);
        // The built byte-level tokenizer has no merges: every UTF-8 byte is one token, so é is 2 tokens, 世 3 and 🎉 4.
        var ids = tokenizer.Encode("hé 世🎉!", addSpecialTokens: false);
        Assert.Equal(Encoding.UTF8.GetByteCount("hé 世🎉!"), ids.Count);
        var (pieces, final) = Stream(tokenizer, ids);
        Assert.Equal(["h", "", "é", " ", "", "", "世", "", "", "", "🎉", "!", ""], pieces);
        Assert.Equal("hé 世🎉!", final);
    }

    [Fact]
    public void What_could_start_a_stop_string_is_held_back_and_never_emitted_when_it_does()
    {
        using var temp = new TempFolder();
        var tokenizer = ByteTokenizer(temp);
        var ids = tokenizer.Encode("ab STOP cd", addSpecialTokens: false);

        var (stopped, cut) = Stream(tokenizer, ids, "STOP");
        Assert.Equal("ab ", cut);
        Assert.Equal(cut, string.Concat(stopped));
        Assert.Equal(["a", "b", " ", "", "", "", "", "", "", "", ""], stopped);   // "S", "ST", "STO" were held back

        // A prefix that does not become the stop string is released as soon as it cannot.
        var (released, whole) = Stream(tokenizer, ids, "STAY");
        Assert.Equal("ab STOP cd", whole);
        Assert.Equal(["a", "b", " ", "", "", "STO", "P", " ", "c", "d", ""], released);
    }
}
