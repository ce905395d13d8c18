using Xunit;
using AlignedGen.Tokenization;

namespace AlignedGen.Tests.Tokenization;

/// <summary>Our tokenizer.json pipeline against Hugging Face tokenizers' ids and decodes for every shared tokenizer.</summary>
public class TokenizerJsonOracleTests
{
    private static readonly Dictionary<string, TextTokenizer> Loaded = new();

    internal static TextTokenizer Load(string name)
    {
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(name, out var tok))
            {
                var folder = SharedFolder.Require(TokenizerOracle.SharedFolder(name));
                tok = TokenizerLoader.FromTokenizerJson(Path.Combine(folder, "tokenizer.json"));
                Loaded[name] = tok;
            }
            return tok;
        }
    }

    [SkippableTheory]
    [MemberData(nameof(TokenizerOracle.Names), MemberType = typeof(TokenizerOracle))]
    public void Encode_MatchesHuggingFace(string name)
    {
        var tok = Load(name);
        var oracle = TokenizerOracle.Load(name);
        Assert.Equal(oracle.VocabularySize, tok.VocabularySize);
        var failures = new List<string>();
        foreach (var c in oracle.Cases)
        {
            var ids = tok.Encode(c.Text, addSpecialTokens: false);
            if (!ids.SequenceEqual(c.Ids))
                failures.Add($"{TokenizerOracle.Describe(c.Text)}: expected [{string.Join(",", c.Ids)}] got [{string.Join(",", ids)}]");
            var withSpecial = tok.Encode(c.Text, addSpecialTokens: true);
            if (!withSpecial.SequenceEqual(c.IdsWithSpecial))
                failures.Add($"{TokenizerOracle.Describe(c.Text)} (special): expected [{string.Join(",", c.IdsWithSpecial)}] got [{string.Join(",", withSpecial)}]");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {oracle.Cases.Count * 2} encodings differ:\n" + string.Join("\n", failures));
    }

    [SkippableTheory]
    [MemberData(nameof(TokenizerOracle.Names), MemberType = typeof(TokenizerOracle))]
    public void Decode_MatchesHuggingFace(string name)
    {
        var tok = Load(name);
        var oracle = TokenizerOracle.Load(name);
        var failures = new List<string>();
        void Check(string what, string expected, string actual)
        {
            if (expected != actual) failures.Add($"{what}: expected {TokenizerOracle.Describe(expected)} got {TokenizerOracle.Describe(actual)}");
        }
        foreach (var c in oracle.Cases)
        {
            Check($"{TokenizerOracle.Describe(c.Text)} plain", c.Decoded, tok.Decode(c.Ids));
            Check($"{TokenizerOracle.Describe(c.Text)} skip", c.DecodedWithSpecialSkipped, tok.Decode(c.IdsWithSpecial, skipSpecialTokens: true));
            Check($"{TokenizerOracle.Describe(c.Text)} keep", c.DecodedWithSpecialKept, tok.Decode(c.IdsWithSpecial, skipSpecialTokens: false));
        }
        foreach (var d in oracle.DecodeCases)
        {
            Check($"random [{string.Join(",", d.Ids)}] skip", d.SkipSpecial, tok.Decode(d.Ids, skipSpecialTokens: true));
            Check($"random [{string.Join(",", d.Ids)}] keep", d.KeepSpecial, tok.Decode(d.Ids, skipSpecialTokens: false));
        }
        Assert.True(failures.Count == 0, $"{failures.Count} decodes differ:\n" + string.Join("\n", failures));
    }

    [SkippableTheory]
    [MemberData(nameof(TokenizerOracle.Names), MemberType = typeof(TokenizerOracle))]
    public void IdToToken_MatchesHuggingFaceTokens(string name)
    {
        var tok = Load(name);
        var oracle = TokenizerOracle.Load(name);
        foreach (var c in oracle.Cases)
        {
            for (var i = 0; i < c.Ids.Length; i++)
            {
                var token = tok.IdToToken(c.Ids[i]);
                Assert.NotNull(token);
                Assert.Equal(c.Ids[i], tok.TokenToId(token!));
            }
        }
    }
}
