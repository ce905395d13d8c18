using System.Text.Json;
using AlignedGen.Tokenization;
using Xunit;

namespace AlignedGen.Tests.Tokenization;

/// <summary>tiktoken encodings by name against js-tiktoken's ids (an independent implementation), committed as oracle data.</summary>
public class TiktokenTests
{
    private sealed record Item(string Text, int[] Ids);

    private static readonly JsonDocument Oracle = JsonDocument.Parse(File.ReadAllText(TokenizerOracle.DataPath("tiktoken")));

    private static List<Item> Items(string group, string name) =>
        Oracle.RootElement.GetProperty(group).GetProperty(name).Deserialize<List<Item>>(new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;

    [Theory]
    [InlineData("gpt2", 50257)]
    [InlineData("r50k_base", 50257)]
    [InlineData("cl100k_base", 100277)]
    [InlineData("o200k_base", 200019)]
    public void Encoding_MatchesJsTiktoken(string encoding, int vocabularySize)
    {
        var tok = TokenizerLoader.FromTiktoken(encoding);
        Assert.Equal(vocabularySize, tok.VocabularySize);
        foreach (var item in Items("encodings", encoding))
        {
            Assert.Equal(item.Ids, tok.Encode(item.Text));
            Assert.Equal(item.Text, tok.Decode(item.Ids, skipSpecialTokens: false));
        }
    }

    [Fact]
    public void ModelName_SelectsItsEncoding()
    {
        var tok = TokenizerLoader.FromTiktoken("gpt-4o");
        foreach (var item in Items("models", "gpt-4o")) Assert.Equal(item.Ids, tok.Encode(item.Text));
        Assert.Equal(199999, tok.TokenToId("<|endoftext|>"));
        Assert.Equal([199999], tok.SpecialTokens.Eos);
        Assert.Equal("", tok.Decode([199999]));
    }

    [Fact]
    public void UnknownName_ThrowsArgumentExceptionNamingTheParameter()
    {
        var e = Assert.Throws<ArgumentException>(() => TokenizerLoader.FromTiktoken("no-such-encoding"));
        Assert.Equal("encodingName", e.ParamName);
        Assert.Contains("cl100k_base", e.Message);
    }
}
