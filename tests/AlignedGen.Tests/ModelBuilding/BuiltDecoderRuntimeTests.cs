using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Xunit;
using static AlignedGen.Tests.ModelBuilding.DecoderHarness;

namespace AlignedGen.Tests.ModelBuilding;

/// <summary>Built random decoders through AlignedGen's own loaders: the language model, the cached and the sequence-classification reward models.</summary>
public sealed class BuiltDecoderRuntimeTests
{
    private static readonly string[] Prompts = ["Hello, world", "The cat", "A much longer prompt than the others, to pad"];

    [Theory]
    [InlineData(DecoderFamily.Llama, GraphStyle.Optimum, WeightFormat.Float32)]
    [InlineData(DecoderFamily.Qwen2, GraphStyle.GenAi, WeightFormat.Int4)]
    [InlineData(DecoderFamily.Mistral, GraphStyle.GenAi, WeightFormat.Float16)]
    public void TheLoaderReadsTheFolderAndGreedyTokensDoNotDependOnTheBatch(DecoderFamily family, GraphStyle style, WeightFormat format)
    {
        using var temp = new TempFolder();
        var o = ScaleModels.Options(family, style, format);
        using var model = OnnxCausalLanguageModel.Load(DecoderModelBuilder.WriteFolder(o, temp.Path));
        Assert.Equal((o.Shape.Layers, o.Shape.KvHeads, o.Shape.HeadSize), (model.LayerCount, model.KeyValueHeads, model.HeadSize));
        Assert.Equal(style == GraphStyle.Optimum, model.HasPositionIds);
        Assert.Equal(DecoderModelBuilder.ModelType(family), model.Config.ModelType);
        Assert.Empty(model.Config.Notes);

        var generator = new TextGenerator(model);
        var requests = GenerationRequest.FromPrompts(Prompts);
        var alone = generator.Generate(requests, SamplingStrategy.Greedy, new GenerationOptions(maxNewTokens: 12, batchSize: 1, stopAtEos: false));
        var together = generator.Generate(requests, SamplingStrategy.Greedy, new GenerationOptions(maxNewTokens: 12, batchSize: 3, stopAtEos: false));
        Assert.Equal(alone.Select(r => r.TokenIds), together.Select(r => r.TokenIds));

        // The first token is the reference forward pass's argmax after the prompt (exact weights for float32 / int4 level 0).
        var promptIds = generator.EncodePrompt(Prompts[0]);
        var reference = ReferenceForward.Run(ScaleModels.Weights(o), promptIds)[^1];
        var best = Enumerable.Range(0, reference.Length).MaxBy(v => reference[v]);
        Assert.Equal(best, alone[0].TokenIds[0]);
    }

    [Theory]
    [InlineData(GraphStyle.Optimum)]
    [InlineData(GraphStyle.GenAi)]
    public void CachedRewardScoresArePrefixScoresOfTheReference(GraphStyle style)
    {
        using var temp = new TempFolder();
        var o = ScaleModels.Options(DecoderFamily.Qwen2, style, head: ModelHead.CachedScores);
        var folder = DecoderModelBuilder.WriteFolder(o, temp.Path);
        using var run = ScaleModels.Open(folder, o);
        var ids = ScaleModels.Longs(ScaleModels.Sequence);
        var scores = run.Step(Row(ids), Ones(1, ids.Length)).Outputs["scores"];
        var reference = ReferenceForward.Run(ScaleModels.Weights(o), ScaleModels.Sequence);
        for (var i = 0; i < ids.Length; i++) Assert.Equal(reference[i][0], scores[0, i], 4);

        using var rm = RewardModelLoader.FromFolder(folder, new RewardModelOptions { UseTokenIds = true });
        Assert.IsType<CachedDecoderRewardModel>(rm);
        var query = new RewardQuery("", "") { PromptTokenIds = ScaleModels.Sequence[..4], ResponseTokenIds = ScaleModels.Sequence[4..] };
        Assert.Equal(reference[^1][0], rm.Score([query])[0], 4);
    }

    [Fact]
    public void ADecoderRewardModelWhoseTokenizerHasNoBosScoresPromptAndResponseWithoutOne()
    {
        // Qwen2-family reward models (and any tiktoken vocabulary) have no BOS; loading one used to fail on the default format.
        using var temp = new TempFolder();
        var o = new DecoderModelOptions(ScaleModels.Shape(DecoderFamily.Qwen2) with { VocabularySize = 100_352 })
        {
            Style = GraphStyle.GenAi, Head = ModelHead.CachedScores, Tokenizer = BuiltTokenizer.Tiktoken("cl100k_base"),
        };
        var folder = DecoderModelBuilder.WriteFolder(o, temp.Path);
        using var rm = RewardModelLoader.FromFolder(folder);
        var ids = AlignedGen.Tokenization.TokenizerLoader.FromTiktoken("cl100k_base").Encode("Once upon a time there was a fox");   // an independent tokenizer
        var reference = ReferenceForward.Run(ScaleModels.Weights(o), ids.ToArray());
        Assert.Equal(reference[^1][0], rm.Score([new RewardQuery("Once upon a time", "there was a fox")])[0], 4);
    }

    [Fact]
    public void SequenceClassificationRewardPoolsTheLastRealTokenOfLeftPaddedRows()
    {
        using var temp = new TempFolder();
        var o = ScaleModels.Options(DecoderFamily.Llama, GraphStyle.Optimum, WeightFormat.Int4, ModelHead.SequenceClassification);
        var folder = DecoderModelBuilder.WriteFolder(o, temp.Path);
        using var rm = RewardModelLoader.FromFolder(folder, new RewardModelOptions { UseTokenIds = true });
        Assert.IsType<SequenceClassificationRewardModel>(rm);
        int[][] texts = [ScaleModels.Sequence, ScaleModels.Sequence[..3], [256, 65, 66, 67, 68]];
        var scores = rm.Score(texts.Select(t => new RewardQuery("", "") { PromptTokenIds = t[..1], ResponseTokenIds = t[1..] }).ToArray());
        var weights = ScaleModels.Weights(o);
        for (var i = 0; i < texts.Length; i++) Assert.Equal(ReferenceForward.Run(weights, texts[i])[^1][0], scores[i], 4);
        Assert.False(File.Exists(Path.Combine(folder, "genai_config.json")));
    }

    [Fact]
    public void BadShapesAndOptionsNameTheValueAndTheFix()
    {
        var heads = Assert.Throws<ArgumentException>(() => new DecoderModelOptions(new DecoderShape { HiddenSize = 100, Heads = 3, KvHeads = 1 }));
        Assert.Equal("HiddenSize", heads.ParamName);
        Assert.Contains("HiddenSize = 100 is not a multiple of Heads = 3", heads.Message);
        Assert.Contains("102", heads.Message);
        var kv = Assert.Throws<ArgumentException>(() => new DecoderModelOptions(new DecoderShape { Heads = 4, KvHeads = 3 }));
        Assert.Equal("KvHeads", kv.ParamName);
        Assert.Contains("odd", Assert.Throws<ArgumentException>(() => new DecoderModelOptions(new DecoderShape { HiddenSize = 12, Heads = 4, KvHeads = 1 })).Message);
        Assert.Equal("Layers", Assert.Throws<ArgumentOutOfRangeException>(() => new DecoderShape { Layers = 0 }).ParamName);
        Assert.Equal("RopeTheta", Assert.Throws<ArgumentOutOfRangeException>(() => new DecoderShape { RopeTheta = double.NaN }).ParamName);

        var int4 = Assert.Throws<ArgumentException>(() => DecoderModelBuilder.BuildGraph(
            new DecoderModelOptions(new DecoderShape { HiddenSize = 48, Heads = 4, KvHeads = 2 }) { Weights = WeightFormat.Int4 }));
        Assert.Equal("HiddenSize", int4.ParamName);
        Assert.Contains("block size 32", int4.Message);
        var seqcls = Assert.Throws<ArgumentException>(() => DecoderModelBuilder.BuildGraph(
            new DecoderModelOptions(new DecoderShape()) { Style = GraphStyle.GenAi, Head = ModelHead.SequenceClassification }));
        Assert.Contains("GraphStyle.Optimum", seqcls.Message);

        using var temp = new TempFolder();
        var small = new DecoderModelOptions(new DecoderShape { VocabularySize = 100 }) { Tokenizer = BuiltTokenizer.ByteLevel };
        var tooMany = Assert.Throws<ArgumentException>(() => DecoderModelBuilder.WriteFolder(small, temp.Path));
        Assert.Contains("has 259 ids but VocabularySize = 100", tooMany.Message);
        Assert.Empty(Directory.GetFiles(temp.Path));
    }
}
