using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Tokenization;
using Xunit;

namespace AlignedGen.Tests.ModelBuilding;

public sealed class ModelPresetsTests
{
    [Theory]
    // Published parameter counts of the originals (embeddings included, tied ones once).
    [InlineData("qwen2.5-0.5b", 494_032_768)]
    [InlineData("qwen2.5-1.5b", 1_543_714_304)]
    [InlineData("llama-1b", 1_235_814_400)]
    [InlineData("llama-3-8b", 8_030_261_248)]
    [InlineData("mistral-7b", 7_241_732_096)]
    [InlineData("phi3-mini", 3_821_079_552)]
    public void PresetShapesHaveThePublishedParameterCounts(string name, long published)
    {
        var shape = ModelPresets.Get(name).Shape;
        shape.Validate();
        Assert.Equal(published, shape.ParameterCount);
    }

    [Fact]
    public void EveryPresetIsAValidShapeAndQuarterPresetsAreAboutAQuarter()
    {
        foreach (var name in ModelPresets.Names) ModelPresets.Get(name).Shape.Validate();
        foreach (var (full, quarter) in new[] { ("smollm2-135m", "smollm2-135m-quarter"), ("qwen2.5-0.5b", "qwen2.5-0.5b-quarter") })
        {
            var a = ModelPresets.Get(full).Shape;
            var b = ModelPresets.Get(quarter).Shape;
            Assert.Equal(a.VocabularySize, b.VocabularySize);
            Assert.InRange((double)a.ParameterCount / b.ParameterCount, 3.5, 4.5);
        }
        Assert.InRange(ModelPresets.Get("smollm2-135m").Shape.ParameterCount, 134_000_000, 136_000_000);
    }

    [Fact]
    public void AnUnknownPresetNamesTheValueTheNearestAndTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelPresets.Get("qwen2.5-05b"));
        Assert.Equal("name", e.ParamName);
        Assert.Contains("'qwen2.5-05b'", e.Message);
        Assert.Contains("Did you mean 'qwen2.5-0.5b'?", e.Message);
        Assert.Contains("smollm2-135m", e.Message);
        Assert.Same(ModelPresets.Get("qwen2.5-0.5b"), ModelPresets.Get("QWEN2.5-0.5B"));
    }

    [Fact]
    public void ASharedTokenizerWithoutTheSharedFolderSaysWhereItLives()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => ModelPresets.TokenizerFor(ModelPresets.Get("smollm2-135m"), sharedRoot: null));
        Assert.Contains("../shared/tokenizers/gpt2", e.Message);
    }

    [Fact]
    public void TheCacheBuildsATinyPresetOnceAndReusesIt()
    {
        using var temp = new TempFolder();
        var folder = BuiltModelCache.EnsurePreset("tiny-qwen2", GraphStyle.GenAi, WeightFormat.Int4, cacheDirectory: temp.Path);
        var written = File.GetLastWriteTimeUtc(Path.Combine(folder, "model.onnx"));
        Assert.Equal(folder, BuiltModelCache.EnsurePreset("tiny-qwen2", GraphStyle.GenAi, WeightFormat.Int4, cacheDirectory: temp.Path));
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(folder, "model.onnx")));
        var other = BuiltModelCache.EnsurePreset("tiny-qwen2", GraphStyle.Optimum, WeightFormat.Int4, cacheDirectory: temp.Path);
        Assert.NotEqual(folder, other);
        Assert.StartsWith("tiny-qwen2-genai-int4-lm-", Path.GetFileName(folder));
        using var model = OnnxCausalLanguageModel.Load(folder);
        Assert.Equal("qwen2", model.Config.ModelType);
    }

    [SkippableFact]
    public void LinkedTokenizersPointIntoTheSharedFolderInsteadOfCopies()
    {
        var shared = SharedFolder.Require("tokenizers", "gpt2");
        using var temp = new TempFolder();
        var o = new DecoderModelOptions(new DecoderShape { VocabularySize = 50304, HiddenSize = 64, Heads = 4, KvHeads = 2 })
        {
            Tokenizer = BuiltTokenizer.LinkedFrom(shared),
        };
        var folder = DecoderModelBuilder.WriteFolder(o, temp.Path);
        var link = new FileInfo(Path.Combine(folder, "tokenizer.json"));
        Assert.Equal(Path.Combine(shared, "tokenizer.json"), link.LinkTarget);
        using var model = OnnxCausalLanguageModel.Load(folder);
        Assert.Equal(TokenizerLoader.FromFolder(shared).Encode("Hello world"), model.Tokenizer.Encode("Hello world"));
        Assert.Equal(50256, model.Config.PadTokenId);
    }

    [Theory]
    [InlineData("cl100k_base", 100_277)]
    [InlineData("o200k_base", 200_019)]
    public void TiktokenEncodingsBecomeATokenizerJsonWithTheSameIds(string encoding, int size)
    {
        using var temp = new TempFolder();
        var built = BuiltTokenizer.Tiktoken(encoding);
        Assert.Equal(size, built.VocabularySize);
        built.WriteTo(temp.Path, 4096);
        var converted = TokenizerLoader.FromFolder(temp.Path);
        var original = TokenizerLoader.FromTiktoken(encoding);   // Microsoft.ML.Tokenizers' own tiktoken: an independent implementation
        string[] texts =
        [
            "Hello, world! It's a test of 12345 numbers and   spaces.\n\nNew paragraph:\tTabs.",
            "naïve café — 東京 🚀 don't WON'T I'll we've",
            "def f(x):\n    return x**2  # comment",
        ];
        foreach (var text in texts) Assert.Equal(original.Encode(text), converted.Encode(text, addSpecialTokens: false));
        Assert.Equal(texts[1], converted.Decode(converted.Encode(texts[1], addSpecialTokens: false)));
        Assert.Equal(built.SpecialTokens.Eos, converted.SpecialTokens.Eos);
    }
}
