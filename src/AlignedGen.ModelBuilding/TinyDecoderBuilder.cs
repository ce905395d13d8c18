namespace AlignedGen.ModelBuilding;

/// <summary>
/// Builds tiny causal LMs in the Hugging Face Optimum layout: inputs input_ids [batch, seq], attention_mask
/// [batch, past+seq], position_ids [batch, seq] (optional), past_key_values.{i}.key/value [batch, kv, past, head];
/// outputs logits [batch, seq, vocab] and present.{i}.key/value [batch, kv, past+seq, head].
/// </summary>
public static class TinyDecoderBuilder
{
    /// <summary>Builds the ONNX graph of the model described by <paramref name="options"/>.</summary>
    public static OnnxGraphBuilder BuildGraph(TinyDecoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return BuildGraph(options, CreateWeights(options));
    }

    /// <summary>
    /// Writes the model folder: model.onnx (+ model.onnx.data), config.json, generation_config.json, genai_config.json,
    /// and, when the vocabulary is <see cref="ByteLevelVocabulary.Size"/>, the byte-level tokenizer files. Returns the
    /// folder's full path. Existing files of the same names are overwritten.
    /// </summary>
    public static string WriteFolder(TinyDecoderOptions options, string folder)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var specials = options.ResolvedSpecialTokens;
        var weights = CreateWeights(options);
        var graph = BuildGraph(options, weights);
        folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(folder);
        graph.Save(Path.Combine(folder, ModelConfigWriter.ModelFile), options.ExternalData);
        ModelConfigWriter.WriteConfig(folder, weights, specials, options.Float16, "LlamaForCausalLM", j =>
        {
            j.WriteString("construction", "bigram");
            j.WriteString("attention", options.Attention == AttentionContribution.Silent ? "silent" : "random");
            j.WriteBoolean("position_ids_input", options.IncludePositionIds);
            j.WriteNumber("seed", options.Architecture.Seed);
        });
        ModelConfigWriter.WriteGenerationConfig(folder, specials);
        ModelConfigWriter.WriteGenAiConfig(folder, weights, specials, options.IncludePositionIds, "logits");
        if (options.VocabularySize == ByteLevelVocabulary.Size)
            ByteLevelTokenizerWriter.WriteAll(folder, options.Architecture.MaxPositions);
        return folder;
    }

    /// <summary>The constructed weights (tests use them for an independent reference forward pass).</summary>
    internal static TransformerWeights CreateWeights(TinyDecoderOptions options) => TransformerWeightFactory.ForDecoder(options);

    private static OnnxGraphBuilder BuildGraph(TinyDecoderOptions options, TransformerWeights weights)
    {
        var g = new OnnxGraphBuilder("tiny_decoder");
        var ioFloat = options.Float16 ? OnnxElementType.Float16 : OnnxElementType.Float;
        var inputIds = g.AddInput("input_ids", OnnxElementType.Int64, "batch_size", "sequence_length");
        var mask = g.AddInput("attention_mask", OnnxElementType.Int64, "batch_size", "total_sequence_length");
        var positions = options.IncludePositionIds
            ? g.AddInput("position_ids", OnnxElementType.Int64, "batch_size", "sequence_length")
            : null;
        var body = new TransformerGraphWriter(g, weights, options.Float16);
        var hidden = body.WriteHidden(inputIds, mask, positions, withCache: true);
        var head = body.Weight("lm_head.weight", weights.Head, weights.Hidden, weights.Vocabulary);
        if (options.Float16) g.Cast(g.MatMul(hidden, head), OnnxElementType.Float16, "logits");
        else g.MatMul(hidden, head, "logits");
        g.AddOutput("logits", ioFloat, "batch_size", "sequence_length", weights.Vocabulary);
        body.DeclarePresentOutputs();
        return g;
    }
}
