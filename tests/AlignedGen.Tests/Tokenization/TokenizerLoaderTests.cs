using AlignedGen.Models;
using AlignedGen.Tokenization;
using Xunit;

namespace AlignedGen.Tests.Tokenization;

/// <summary>Folder loading, special token ids from config files, and the errors bad folders and files raise.</summary>
public sealed class TokenizerLoaderTests : IDisposable
{
    private readonly DirectoryInfo temp = Directory.CreateTempSubdirectory("alignedgen-tok-");

    public void Dispose() => temp.Delete(recursive: true);

    [Fact]
    public void FromFolder_MissingFolder_ThrowsModelFolderException()
    {
        var missing = Path.Combine(temp.FullName, "nope");
        var e = Assert.Throws<ModelFolderException>(() => TokenizerLoader.FromFolder(missing));
        Assert.Equal(missing, e.Path);
        Assert.Contains("does not exist", e.Problem);
    }

    [Fact]
    public void FromFolder_NoTokenizerFile_ThrowsModelFolderException()
    {
        var e = Assert.Throws<ModelFolderException>(() => TokenizerLoader.FromFolder(temp.FullName));
        Assert.Contains("tokenizer.json, tokenizer.model or vocab.txt", e.Problem);
        Assert.False(string.IsNullOrEmpty(e.Fix));
    }

    [Theory]
    [InlineData("{ \"model\": ", "not valid JSON")]
    [InlineData("[1, 2, 3]", "no \"model\" object")]
    [InlineData("{ \"model\": { \"type\": \"Unigram\", \"vocab\": [[\"a\", 0.0]] } }", "Unigram")]
    [InlineData("{ \"model\": { \"type\": \"BPE\", \"vocab\": { \"a\": 0 }, \"merges\": [\"a b\"] } }", "merge 0")]
    [InlineData("{ \"model\": { \"type\": \"WordPiece\", \"vocab\": { \"a\": 0 }, \"unk_token\": \"[UNK]\" } }", "unk_token")]
    public void FromTokenizerJson_BadFile_ThrowsModelFolderException(string json, string expectedInProblem)
    {
        var path = Path.Combine(temp.FullName, "tokenizer.json");
        File.WriteAllText(path, json);
        var e = Assert.Throws<ModelFolderException>(() => TokenizerLoader.FromFolder(temp.FullName));
        Assert.Equal(path, e.Path);
        Assert.Contains(expectedInProblem, e.Problem);
    }

    [Fact]
    public void FromSentencePieceModel_NotAProtobuf_ThrowsModelFolderException()
    {
        var path = Path.Combine(temp.FullName, "tokenizer.model");
        File.WriteAllBytes(path, [0xFF, 0xFF, 0xFF]);
        var e = Assert.Throws<ModelFolderException>(() => TokenizerLoader.FromFolder(temp.FullName));
        Assert.Equal(path, e.Path);
    }

    [Fact]
    public void FromBertVocab_WithoutBertSpecialTokens_ThrowsModelFolderException()
    {
        var path = Path.Combine(temp.FullName, "vocab.txt");
        File.WriteAllLines(path, ["hello", "world"]);
        var e = Assert.Throws<ModelFolderException>(() => TokenizerLoader.FromFolder(temp.FullName));
        Assert.Contains("[UNK]", e.Problem);
    }

    [Fact]
    public void FromBertVocab_SmallVocabulary_EncodesWithWordPieceAndTemplate()
    {
        var path = Path.Combine(temp.FullName, "vocab.txt");
        File.WriteAllLines(path, ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "##s", "!"]);
        var tok = TokenizerLoader.FromFolder(temp.FullName);
        Assert.Equal([2, 5, 6, 7, 8, 1, 3], tok.Encode("Hello WORLDS! xyz"));
        Assert.Equal("hello worlds!", tok.Decode([2, 5, 6, 7, 8, 3]));
        Assert.Equal(1, tok.SpecialTokens.Unk);
    }

    public static IEnumerable<object?[]> FolderSpecials() =>
    [
        // Expected values read from each folder's config files (see the folders' READMEs).
        ["models/stories260K", 1, new[] { 2, 1 }, 0, 0],
        ["models/tiny-random-llama-fp32", 1, new[] { 2 }, 0, 0],
        ["tokenizers/phi3", 1, new[] { 32000 }, 32000, 0],
        ["tokenizers/gpt2", 50256, new[] { 50256 }, null, 50256],
        ["models/rm-wordpiece", null, Array.Empty<int>(), 0, 100],
    ];

    [SkippableTheory]
    [MemberData(nameof(FolderSpecials))]
    public void FromFolder_ReadsSpecialTokenIds(string folder, int? bos, int[] eos, int? pad, int? unk)
    {
        var tok = TokenizerLoader.FromFolder(SharedFolder.Require(folder.Split('/')));
        Assert.Equal(bos, tok.SpecialTokens.Bos);
        Assert.Equal(eos, tok.SpecialTokens.Eos);
        Assert.Equal(pad, tok.SpecialTokens.Pad);
        Assert.Equal(unk, tok.SpecialTokens.Unk);
    }

    [SkippableFact]
    public void Stories260K_EncodesReadmePrompt()
    {
        // shared/models/stories260K/README.md: "Once upon a time" encodes to [1, 403, 407, 261, 378].
        var tok = TokenizerLoader.FromFolder(SharedFolder.Require("models", "stories260K"));
        Assert.Equal("BPE (byte fallback)", tok.Kind);
        Assert.Equal([1, 403, 407, 261, 378], tok.Encode("Once upon a time"));
        Assert.Equal("Once upon a time", tok.Decode([1, 403, 407, 261, 378]));
    }

    [SkippableFact]
    public void FromTokenizerJson_ExplicitSpecialTokensWin()
    {
        var path = Path.Combine(SharedFolder.Require("tokenizers", "gpt2"), "tokenizer.json");
        var specials = new SpecialTokenIds(null, [50256, 198], null, null);
        Assert.Same(specials, TokenizerLoader.FromTokenizerJson(path, specials).SpecialTokens);
    }

    [SkippableFact]
    public void FromTokenizerJson_WithoutConfigFiles_DerivesBosFromTemplate()
    {
        var source = Path.Combine(SharedFolder.Require("models", "stories260K"), "tokenizer.json");
        var path = Path.Combine(temp.FullName, "tokenizer.json");
        File.Copy(source, path);
        var tok = TokenizerLoader.FromTokenizerJson(path);
        Assert.Equal(1, tok.SpecialTokens.Bos);
        Assert.Equal(0, tok.SpecialTokens.Unk);
    }
}
