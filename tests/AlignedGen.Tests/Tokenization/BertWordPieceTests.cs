using AlignedGen.Tokenization;
using Xunit;

namespace AlignedGen.Tests.Tokenization;

/// <summary>BERT WordPiece from vocab.txt and tokenizer.json, and the pair encoding the rm-wordpiece reward model reads.</summary>
public class BertWordPieceTests
{
    private static TextTokenizer FromVocab() =>
        TokenizerLoader.FromBertVocab(Path.Combine(SharedFolder.Require("models", "rm-wordpiece"), "vocab.txt"), lowerCase: true);

    [SkippableFact]
    public void BertVocab_MatchesHuggingFace()
    {
        var tok = FromVocab();
        var oracle = TokenizerOracle.Load("rm-wordpiece");
        Assert.Equal("WordPiece", tok.Kind);
        Assert.Equal(oracle.VocabularySize, tok.VocabularySize);
        foreach (var c in oracle.Cases)
        {
            Assert.Equal(c.Ids, tok.Encode(c.Text, addSpecialTokens: false));
            Assert.Equal(c.IdsWithSpecial, tok.Encode(c.Text));
            Assert.Equal(c.DecodedWithSpecialSkipped, tok.Decode(c.IdsWithSpecial));
            Assert.Equal(c.DecodedWithSpecialKept, tok.Decode(c.IdsWithSpecial, skipSpecialTokens: false));
        }
    }

    public static IEnumerable<object[]> Sources() => [["tokenizer.json"], ["vocab.txt"]];

    [SkippableTheory]
    [MemberData(nameof(Sources))]
    public void EncodePair_MatchesHuggingFaceLongestFirstTruncation(string source)
    {
        var tok = source == "vocab.txt" ? FromVocab() : TokenizerJsonOracleTests.Load("rm-wordpiece");
        var oracle = TokenizerOracle.Load("rm-wordpiece");
        Assert.NotEmpty(oracle.Pairs);
        foreach (var p in oracle.Pairs)
        {
            var pair = tok.EncodePair(p.First, p.Second, p.MaxLength);
            Assert.Equal(p.Ids, pair.InputIds);
            Assert.Equal(p.TypeIds, pair.TokenTypeIds);
        }
    }

    [SkippableFact]
    public void EncodePair_FollowsRewardModelReadmeFormat()
    {
        var tok = TokenizerJsonOracleTests.Load("rm-wordpiece");
        var pair = tok.EncodePair("Once upon a time", "there was a DOG.", 256);
        Assert.Equal(101, pair.InputIds[0]);
        var firstSep = pair.InputIds.ToList().IndexOf(102);
        Assert.Equal(102, pair.InputIds[^1]);
        Assert.All(pair.TokenTypeIds.Take(firstSep + 1), t => Assert.Equal(0, t));
        Assert.All(pair.TokenTypeIds.Skip(firstSep + 1), t => Assert.Equal(1, t));
        Assert.Equal("once upon a time there was a dog.", tok.Decode(pair.InputIds));
        var truncated = tok.EncodePair(string.Join(" ", Enumerable.Repeat("word", 300)), "short reply", 256);
        Assert.Equal(256, truncated.InputIds.Count);
        Assert.Equal(256, truncated.TokenTypeIds.Count);
    }

    [SkippableFact]
    public void EncodePair_RejectsMaxLengthNotAboveSpecialTokens()
    {
        var tok = TokenizerJsonOracleTests.Load("rm-wordpiece");
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => tok.EncodePair("a", "b", 3));
        Assert.Equal("maxLength", e.ParamName);
    }
}
