using AlignedGen.Models;
using AlignedGen.Rewards;
using Xunit;

namespace AlignedGen.Tests.Rewards;

/// <summary>
/// Batching, ordering, truncation reporting and error handling of the ONNX reward models, on tiny hand-written graphs
/// whose "reward" is the largest token id of each row (so every expected score follows from the ids).
/// </summary>
public sealed class OnnxRewardModelTests
{
    private static readonly WordTestTokenizer Tokenizer = new();
    private static readonly Lazy<string> MaxIdModel = new(() => TinyOnnx.WriteTemp(TinyOnnx.MaxIdRewardModel(), "max-id-rm"));

    private static SequenceClassificationRewardModel Open(RewardModelOptions? options = null, WordTestTokenizer? tokenizer = null)
        => new(MaxIdModel.Value, tokenizer ?? Tokenizer, options);

    [Fact]
    public void Scores_come_back_in_query_order_whatever_the_batching()
    {
        // Lengths and maxima differ per row, so sorting by length reorders them.
        var queries = new[]
        {
            new RewardQuery("w5 w6 w7 w8", "w9"), new RewardQuery("w40", ""), new RewardQuery("w3", "w30 w4 w2"),
            new RewardQuery("w11 w12", "w13"), new RewardQuery("w70 w1 w1 w1 w1 w1", "w1"), new RewardQuery("w8", "w2"),
            new RewardQuery("w2", "w21"),
        };
        var expected = new float[] { 9, 40, 30, 13, 70, 8, 21 };
        foreach (var (batch, sort) in new[] { (1, true), (2, true), (3, false), (64, true), (64, false) })
        {
            using var rm = Open(new RewardModelOptions { BatchSize = batch, SortByLength = sort });
            Assert.Equal(expected, rm.Score(queries));
        }
    }

    [Fact]
    public void Default_name_is_the_folder_name_and_kind_comes_from_the_graph()
    {
        using var rm = Open();
        Assert.Equal(Path.GetFileName(Path.GetDirectoryName(MaxIdModel.Value)), rm.Name);
        Assert.Equal(RewardModelKind.DecoderSequenceClassification, rm.Kind);
        Assert.Same(RewardInputFormat.PromptSpaceResponse, rm.InputFormat);
        using var named = Open(new RewardModelOptions { Name = "my-rm" });
        Assert.Equal("my-rm", named.Name);
    }

    [Fact]
    public void Graph_with_token_type_ids_is_an_encoder_with_the_bert_pair_format()
    {
        var path = TinyOnnx.WriteTemp(TinyOnnx.MaxIdRewardModel(withTokenTypes: true), "max-id-encoder");
        using var rm = new SequenceClassificationRewardModel(path, Tokenizer);
        Assert.Equal(RewardModelKind.EncoderSequenceClassification, rm.Kind);
        Assert.Same(RewardInputFormat.BertPair, rm.InputFormat);
        Assert.Equal(new float[] { 102, 102 }, rm.Score(new[] { new RewardQuery("w5", "w7"), new RewardQuery("", "") }));
    }

    [Fact]
    public void Truncation_is_reported_once_and_counted_every_time()
    {
        var progress = new ListProgress();
        using var rm = Open(new RewardModelOptions { MaxLength = 4, Warnings = progress });
        // BOS + w90 w5 w6 w7: left truncation drops w90, so the max becomes 7.
        var longRow = new RewardQuery("w90 w5", "w6 w7");
        Assert.Equal(new float[] { 7, 3 }, rm.Score(new[] { longRow, new RewardQuery("w3", "") }));
        Assert.Equal(new float[] { 7, 7 }, rm.Score(new[] { longRow, longRow }));
        Assert.Equal(3, rm.TruncatedRowCount);
        Assert.Single(progress.Items);
        Assert.Single(rm.Warnings);
        Assert.Contains("1 of 2 rows", progress.Items[0]);
        Assert.Contains("MaxLength 4", progress.Items[0]);
    }

    [Fact]
    public void Right_truncation_keeps_the_start()
    {
        using var rm = Open(new RewardModelOptions { MaxLength = 4, Truncation = RewardTruncation.Right });
        Assert.Equal(new float[] { 90 }, rm.Score(new[] { new RewardQuery("w90 w5", "w6 w7") }));
    }

    [Fact]
    public void Strict_mode_throws_for_an_overlong_row()
    {
        using var rm = Open(new RewardModelOptions { MaxLength = 4, Strict = true });
        var e = Assert.Throws<RewardSourceException>(() => rm.Score(new[] { new RewardQuery("w1", "w2"), new RewardQuery("w90 w5", "w6 w7") }));
        Assert.Equal(1, e.Row);
        Assert.Equal(0, rm.TruncatedRowCount);
    }

    [Fact]
    public void A_nan_score_is_reported_with_its_row()
    {
        var path = TinyOnnx.WriteTemp(TinyOnnx.MaxIdRewardModel(nanForZeroRows: true), "nan-rm");
        var format = RewardInputFormat.Template("{prompt} {response}", addBos: false);
        using var rm = new SequenceClassificationRewardModel(path, Tokenizer, new RewardModelOptions { InputFormat = format });
        Assert.Equal(new float[] { 1, 1 }, rm.Score(new[] { new RewardQuery("w3", "w4"), new RewardQuery("w1", "") }));
        var e = Assert.Throws<RewardSourceException>(() => rm.Score(new[] { new RewardQuery("w3", "w4"), new RewardQuery("w3", "w4"), new RewardQuery("w0", "") }));
        Assert.Equal(2, e.Row);
        Assert.Equal(rm.Name, e.SourceName);
        Assert.Contains("NaN", e.Message);
    }

    [Fact]
    public void Empty_query_list_gives_an_empty_array_and_bad_queries_are_rejected()
    {
        using var rm = Open();
        Assert.Empty(rm.Score(Array.Empty<RewardQuery>()));
        Assert.Throws<ArgumentNullException>(() => rm.Score(null!));
        var e = Assert.Throws<ArgumentException>(() => rm.Score(new[] { new RewardQuery("a", "b"), null! }));
        Assert.Contains("Query 1", e.Message);
        Assert.Throws<ArgumentException>(() => rm.Score(new[] { new RewardQuery("a", null!) }));
    }

    [Fact]
    public void Cancellation_and_disposal_are_honoured()
    {
        var rm = Open();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => rm.Score(new[] { new RewardQuery("w1", "w2") }, cts.Token));
        rm.Dispose();
        Assert.Throws<ObjectDisposedException>(() => rm.Score(new[] { new RewardQuery("w1", "w2") }));
    }

    [Fact]
    public void Options_are_validated_with_the_parameter_name()
    {
        Assert.Equal("BatchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new RewardModelOptions { BatchSize = 0 }).ParamName);
        Assert.Equal("MaxLength", Assert.Throws<ArgumentOutOfRangeException>(() => new RewardModelOptions { MaxLength = 1 }).ParamName);
        Assert.Equal("Name", Assert.Throws<ArgumentException>(() => new RewardModelOptions { Name = " " }).ParamName);
    }

    [Fact]
    public void Missing_model_file_is_a_model_folder_exception()
    {
        var missing = Path.Combine(Path.GetTempPath(), "alignedgen-tests", "does-not-exist", "model.onnx");
        var e = Assert.Throws<ModelFolderException>(() => new SequenceClassificationRewardModel(missing, Tokenizer));
        Assert.Equal(missing, e.Path);
    }

    [Fact]
    public void Graph_without_attention_mask_is_rejected()
    {
        var model = TinyOnnx.Build(
            new[] { new TinyOnnx.Value("input_ids", TinyOnnx.Int64, "batch", "seq") },
            new[] { new TinyOnnx.Value("logits", TinyOnnx.Float, "batch", 1L) },
            new[]
            {
                new TinyOnnx.Node("ReduceMax", new[] { "input_ids" }, new[] { "m" }, ("axes", new long[] { 1 }), ("keepdims", 1L)),
                new TinyOnnx.Node("Cast", new[] { "m" }, new[] { "logits" }, ("to", (long)TinyOnnx.Float)),
            });
        var e = Assert.Throws<ModelFolderException>(() => new SequenceClassificationRewardModel(TinyOnnx.WriteTemp(model, "no-mask"), Tokenizer));
        Assert.Contains("attention_mask", e.Problem);
    }

    [Fact]
    public void Graph_with_unknown_inputs_or_a_multi_label_head_is_rejected()
    {
        TinyOnnx.Value[] Inputs(params string[] extra) =>
            new[] { new TinyOnnx.Value("input_ids", TinyOnnx.Int64, "batch", "seq"), new TinyOnnx.Value("attention_mask", TinyOnnx.Int64, "batch", "seq") }
                .Concat(extra.Select(x => new TinyOnnx.Value(x, TinyOnnx.Int64, "batch", "seq"))).ToArray();
        TinyOnnx.Node[] Nodes = new[]
        {
            new TinyOnnx.Node("ReduceMax", new[] { "input_ids" }, new[] { "m" }, ("axes", new long[] { 1 }), ("keepdims", 1L)),
            new TinyOnnx.Node("Cast", new[] { "m" }, new[] { "logits" }, ("to", (long)TinyOnnx.Float)),
        };
        var extraInput = TinyOnnx.Build(Inputs("pixel_values"), new[] { new TinyOnnx.Value("logits", TinyOnnx.Float, "batch", 1L) }, Nodes);
        var e1 = Assert.Throws<ModelFolderException>(() => new SequenceClassificationRewardModel(TinyOnnx.WriteTemp(extraInput, "extra-input"), Tokenizer));
        Assert.Contains("pixel_values", e1.Problem);

        var threeLabels = TinyOnnx.Build(Inputs(), new[] { new TinyOnnx.Value("logits", TinyOnnx.Float, "batch", 3L) }, new[]
        {
            Nodes[0],
            new TinyOnnx.Node("Cast", new[] { "m" }, new[] { "mf" }, ("to", (long)TinyOnnx.Float)),
            new TinyOnnx.Node("Concat", new[] { "mf", "mf", "mf" }, new[] { "logits" }, ("axis", 1L)),
        });
        var e2 = Assert.Throws<ModelFolderException>(() => new SequenceClassificationRewardModel(TinyOnnx.WriteTemp(threeLabels, "three-labels"), Tokenizer));
        Assert.Contains("[batch, 1]", e2.Problem);

        var renamed = TinyOnnx.Build(Inputs(), new[] { new TinyOnnx.Value("score", TinyOnnx.Float, "batch", 1L) },
            new[] { Nodes[0], new TinyOnnx.Node("Cast", new[] { "m" }, new[] { "score" }, ("to", (long)TinyOnnx.Float)) });
        var e3 = Assert.Throws<ModelFolderException>(() => new SequenceClassificationRewardModel(TinyOnnx.WriteTemp(renamed, "no-logits"), Tokenizer));
        Assert.Contains("'logits'", e3.Problem);
    }

    [SkippableFact]
    public void A_language_model_is_not_taken_for_a_reward_model()
    {
        var lm = Path.Combine(SharedFolder.Require("models", "stories260K"), "model.onnx");
        var e = Assert.Throws<ModelFolderException>(() => new CachedDecoderRewardModel(lm, null));
        Assert.Contains("language model", e.Problem);
    }

    [SkippableFact]
    public void Each_class_rejects_the_other_layout()
    {
        var cached = Path.Combine(SharedFolder.Require("models", "rm-llama-cached"), "model.onnx");
        var seqcls = Path.Combine(SharedFolder.Require("models", "rm-llama-seqcls"), "model.onnx");
        Assert.Contains("CachedDecoderRewardModel", Assert.Throws<ModelFolderException>(() => new SequenceClassificationRewardModel(cached, null)).Fix);
        Assert.Contains("SequenceClassificationRewardModel", Assert.Throws<ModelFolderException>(() => new CachedDecoderRewardModel(seqcls, null)).Fix);
    }
}
