namespace AlignedGen.ModelBuilding;

/// <summary>
/// Builds tiny reward models with a reward known by construction (<see cref="TinyRewardModelOptions.ExpectedReward"/>),
/// in two layouts: Hugging Face sequence classification (input_ids, attention_mask → logits [batch, 1], pooled at each
/// row's last position with mask 1; positions derived from the mask, so left and right padding both work) and a
/// cached decoder (the LM inputs → scores [batch, seq] = reward of the prefix ending at each new position, plus present.*).
/// </summary>
public static class TinyRewardModelBuilder
{
    /// <summary>The sequence-classification graph.</summary>
    public static OnnxGraphBuilder BuildSequenceClassificationGraph(TinyRewardModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var weights = CreateWeights(options);
        var g = new OnnxGraphBuilder("tiny_reward_seqcls");
        var inputIds = g.AddInput("input_ids", OnnxElementType.Int64, "batch_size", "sequence_length");
        var mask = g.AddInput("attention_mask", OnnxElementType.Int64, "batch_size", "sequence_length");
        var body = new TransformerGraphWriter(g, weights, float16: false);
        var scores = Scores(g, body, weights, body.WriteHidden(inputIds, mask, positionIds: null, withCache: false), null);
        g.PickLastRealPosition(scores, mask, "logits");
        g.AddOutput("logits", OnnxElementType.Float, "batch_size", 1);
        return g;
    }

    /// <summary>The cached-decoder graph (same inputs as <see cref="TinyDecoderBuilder"/>, output scores instead of logits).</summary>
    public static OnnxGraphBuilder BuildCachedGraph(TinyRewardModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var weights = CreateWeights(options);
        var g = new OnnxGraphBuilder("tiny_reward_cached");
        var inputIds = g.AddInput("input_ids", OnnxElementType.Int64, "batch_size", "sequence_length");
        var mask = g.AddInput("attention_mask", OnnxElementType.Int64, "batch_size", "total_sequence_length");
        var positions = options.IncludePositionIds
            ? g.AddInput("position_ids", OnnxElementType.Int64, "batch_size", "sequence_length")
            : null;
        var body = new TransformerGraphWriter(g, weights, float16: false);
        Scores(g, body, weights, body.WriteHidden(inputIds, mask, positions, withCache: true), "scores");
        g.AddOutput("scores", OnnxElementType.Float, "batch_size", "sequence_length");
        body.DeclarePresentOutputs();
        return g;
    }

    /// <summary>Writes a sequence-classification RM folder (model.onnx, config.json, tokenizer files when vocab = 259); returns its full path.</summary>
    public static string WriteSequenceClassificationFolder(TinyRewardModelOptions options, string folder) =>
        WriteFolder(options, folder, BuildSequenceClassificationGraph(options), "LlamaForSequenceClassification", cached: false);

    /// <summary>Writes a cached-decoder RM folder (model.onnx, config.json, genai_config.json, tokenizer files when vocab = 259); returns its full path.</summary>
    public static string WriteCachedFolder(TinyRewardModelOptions options, string folder) =>
        WriteFolder(options, folder, BuildCachedGraph(options), "LlamaForSequenceClassification", cached: true);

    /// <summary>The constructed weights (tests use them for an independent reference forward pass).</summary>
    internal static TransformerWeights CreateWeights(TinyRewardModelOptions options) => TransformerWeightFactory.ForRewardModel(options);

    /// <summary>scores [batch, seq] = hidden · head.</summary>
    private static string Scores(OnnxGraphBuilder g, TransformerGraphWriter body, TransformerWeights weights, string hidden, string? output)
    {
        var head = body.Weight("score.weight", weights.Head, weights.Hidden, 1);
        return g.Squeeze(g.MatMul(hidden, head), [2], output);
    }

    private static string WriteFolder(TinyRewardModelOptions options, string folder, OnnxGraphBuilder graph, string architecture, bool cached)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var specials = options.ResolvedSpecialTokens;
        var weights = CreateWeights(options);
        folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(folder);
        graph.Save(Path.Combine(folder, ModelConfigWriter.ModelFile), options.ExternalData);
        ModelConfigWriter.WriteConfig(folder, weights, specials, float16: false, architecture, j =>
        {
            j.WriteString("construction", options.Rule == RewardRule.LastTokenValue ? "last_token_value" : "prefix_mean_value");
            j.WriteString("layout", cached ? "cached_decoder_scores" : "sequence_classification");
            j.WriteBoolean("position_ids_input", cached && options.IncludePositionIds);
            j.WriteNumber("seed", options.Architecture.Seed);
            j.WriteStartArray("token_values");
            foreach (var value in options.TokenValues) j.WriteNumberValue(value);
            j.WriteEndArray();
        }, j =>
        {
            j.WriteNumber("num_labels", 1);
            j.WriteString("reward_position", cached ? "scores[:, i] is the reward of the prefix ending at new position i" : "last position with attention_mask = 1");
        });
        if (cached) ModelConfigWriter.WriteGenAiConfig(folder, weights, specials, options.IncludePositionIds, "scores");
        if (options.VocabularySize == ByteLevelVocabulary.Size)
            ByteLevelTokenizerWriter.WriteAll(folder, options.Architecture.MaxPositions);
        return folder;
    }
}
