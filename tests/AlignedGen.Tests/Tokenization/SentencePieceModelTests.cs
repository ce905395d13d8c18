using AlignedGen.Tokenization;
using Xunit;

namespace AlignedGen.Tests.Tokenization;

/// <summary>The tokenizer.model path (Microsoft.ML.Tokenizers SentencePiece) must give the same ids as Hugging Face's tokenizer.json.</summary>
public class SentencePieceModelTests
{
    public static IEnumerable<object[]> Models() =>
    [
        ["stories260K", "tok512.model"],
        ["tiny-random-llama", "tokenizer.model"],
    ];

    [SkippableTheory]
    [MemberData(nameof(Models))]
    public void SentencePieceModel_MatchesHuggingFaceTokenizerJson(string name, string file)
    {
        var path = Path.Combine(SharedFolder.Require(TokenizerOracle.SharedFolder(name)), file);
        Skip.If(!File.Exists(path), $"{path} is absent");
        var tok = TokenizerLoader.FromSentencePieceModel(path);
        var oracle = TokenizerOracle.Load(name);
        Assert.StartsWith("SentencePiece", tok.Kind);
        Assert.Equal(oracle.VocabularySize, tok.VocabularySize);
        var failures = new List<string>();
        foreach (var c in oracle.Cases)
        {
            var ids = tok.Encode(c.Text, addSpecialTokens: false);
            if (!ids.SequenceEqual(c.Ids))
                failures.Add($"{TokenizerOracle.Describe(c.Text)}: expected [{string.Join(",", c.Ids)}] got [{string.Join(",", ids)}]");
            if (!tok.Encode(c.Text).SequenceEqual(c.IdsWithSpecial)) failures.Add($"{TokenizerOracle.Describe(c.Text)} with special tokens");
            if (tok.Decode(c.IdsWithSpecial) != c.DecodedWithSpecialSkipped) failures.Add($"{TokenizerOracle.Describe(c.Text)} decode (skip)");
            if (tok.Decode(c.IdsWithSpecial, skipSpecialTokens: false) != c.DecodedWithSpecialKept) failures.Add($"{TokenizerOracle.Describe(c.Text)} decode (keep)");
        }
        foreach (var d in oracle.DecodeCases)
        {
            if (tok.Decode(d.Ids, skipSpecialTokens: false) != d.KeepSpecial) failures.Add($"random decode [{string.Join(",", d.Ids)}]");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} differences:\n" + string.Join("\n", failures));
    }

    [SkippableFact]
    public void FromFolder_WithOnlyTokenizerModel_UsesSentencePieceAndFolderStopIds()
    {
        var shared = SharedFolder.Require("models", "stories260K");
        var temp = Directory.CreateTempSubdirectory("alignedgen-sp-");
        try
        {
            File.Copy(Path.Combine(shared, "tok512.model"), Path.Combine(temp.FullName, "tokenizer.model"));
            File.Copy(Path.Combine(shared, "generation_config.json"), Path.Combine(temp.FullName, "generation_config.json"));
            var tok = TokenizerLoader.FromFolder(temp.FullName);
            Assert.StartsWith("SentencePiece", tok.Kind);
            Assert.Equal([1, 403, 407, 261, 378], tok.Encode("Once upon a time"));
            Assert.Equal(1, tok.SpecialTokens.Bos);
            Assert.Equal([2, 1], tok.SpecialTokens.Eos);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }
}
