using AlignedGen.Tokenization;

namespace AlignedGen.ModelBuilding;

/// <summary>
/// Builds Llama / Qwen2 / Mistral-style decoders with deterministic random weights as model folders that AlignedGen and
/// onnxruntime-genai load: model.onnx (+ model.onnx.data), config.json, generation_config.json, genai_config.json and
/// tokenizer files. Language models and both reward-model layouts; Optimum or onnxruntime-genai graphs; float32,
/// float16 or int4 weights. Weights are produced tensor by tensor while the file is written.
/// </summary>
public static class DecoderModelBuilder
{
    /// <summary>The graph of the model <paramref name="options"/> describe (its weights are produced when it is saved).</summary>
    public static OnnxGraphBuilder BuildGraph(DecoderModelOptions options) => DecoderGraphWriter.Build(options);

    /// <summary>
    /// Writes the model folder and returns its full path. Throws <see cref="ArgumentException"/> before writing anything
    /// when the options cannot form a model (a tokenizer larger than the vocabulary, a style/head combination the graph
    /// cannot express, int4 sizes that are not whole blocks).
    /// </summary>
    public static string WriteFolder(DecoderModelOptions options, string folder)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var tokenizer = TokenizerFor(options);
        var specials = options.SpecialTokens ?? tokenizer?.SpecialTokens ?? SpecialTokenIds.None;
        var graph = BuildGraph(options);
        folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(folder);
        bool external = options.ExternalData ?? graph.InitializerBytes >= DecoderModelOptions.AutoExternalDataBytes;
        graph.Save(Path.Combine(folder, ModelConfigWriter.ModelFile), external);
        var shape = options.Shape;
        WriteConfig(folder, options, specials, tokenizer);
        ModelConfigWriter.WriteGenerationConfig(folder, specials);
        if (options.Head != ModelHead.SequenceClassification)
        {
            var geometry = new GenAiGeometry(ModelType(shape.Family), shape.VocabularySize, shape.HiddenSize, shape.Heads, shape.KvHeads,
                shape.HeadSize, shape.Layers, shape.MaxPositions);
            ModelConfigWriter.WriteGenAiConfig(folder, geometry, specials, options.Style == GraphStyle.Optimum,
                options.Head == ModelHead.LanguageModel ? "logits" : "scores");
        }
        tokenizer?.WriteTo(folder, shape.MaxPositions);
        return folder;
    }

    /// <summary>Bytes the weights take on disk in this format (what model.onnx(.data) holds, give or take the graph).</summary>
    public static long WeightBytes(DecoderModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return BuildGraph(options).InitializerBytes;
    }

    /// <summary>The family's name in config.json's model_type and genai_config.json's model.type.</summary>
    public static string ModelType(DecoderFamily family) => family switch
    {
        DecoderFamily.Qwen2 => "qwen2",
        DecoderFamily.Mistral => "mistral",
        _ => "llama",
    };

    private static BuiltTokenizer? TokenizerFor(DecoderModelOptions options)
    {
        var tokenizer = options.Tokenizer ?? (options.Shape.VocabularySize == ByteLevelVocabulary.Size ? BuiltTokenizer.ByteLevel : null);
        if (tokenizer is not null && tokenizer.VocabularySize > options.Shape.VocabularySize)
            throw new ArgumentException(
                $"The tokenizer ({tokenizer.Description}) has {tokenizer.VocabularySize} ids but VocabularySize = {options.Shape.VocabularySize}; " +
                $"set VocabularySize to at least {tokenizer.VocabularySize} (models may have more logits than tokens, never fewer).", nameof(options));
        return tokenizer;
    }

    private static string ArchitectureName(DecoderModelOptions options)
    {
        var family = options.Shape.Family switch { DecoderFamily.Qwen2 => "Qwen2", DecoderFamily.Mistral => "Mistral", _ => "Llama" };
        return family + (options.Head == ModelHead.LanguageModel ? "ForCausalLM" : "ForSequenceClassification");
    }

    private static void WriteConfig(string folder, DecoderModelOptions options, SpecialTokenIds specials, BuiltTokenizer? tokenizer)
    {
        var s = options.Shape;
        JsonFileWriter.Write(Path.Combine(folder, "config.json"), j =>
        {
            j.WriteStartObject();
            j.WriteString("_comment", "Built by AlignedGen.ModelBuilding: the architecture of the named family with deterministic random weights (see \"alignedgen\"). The weights are in model.onnx; there is no PyTorch checkpoint.");
            j.WriteStartArray("architectures");
            j.WriteStringValue(ArchitectureName(options));
            j.WriteEndArray();
            j.WriteString("model_type", ModelType(s.Family));
            j.WriteNumber("vocab_size", s.VocabularySize);
            j.WriteNumber("hidden_size", s.HiddenSize);
            j.WriteNumber("intermediate_size", s.IntermediateSize);
            j.WriteNumber("num_hidden_layers", s.Layers);
            j.WriteNumber("num_attention_heads", s.Heads);
            j.WriteNumber("num_key_value_heads", s.KvHeads);
            j.WriteNumber("head_dim", s.HeadSize);
            j.WriteNumber("max_position_embeddings", s.MaxPositions);
            j.WriteNumber("rms_norm_eps", (double)(decimal)s.RmsNormEpsilon);   // 1e-6, not 9.99999997e-07
            j.WriteNumber("rope_theta", s.RopeTheta);
            j.WriteString("hidden_act", "silu");
            j.WriteBoolean("tie_word_embeddings", s.TiedEmbeddings);
            j.WriteBoolean("attention_bias", s.HasQkvBias);
            if (s.SlidingWindow is int window) j.WriteNumber("sliding_window", window);
            else j.WriteNull("sliding_window");
            j.WriteString("torch_dtype", options.Weights == WeightFormat.Float16 ? "float16" : "float32");
            JsonFileWriter.WriteOptionalId(j, "bos_token_id", specials.Bos);
            if (specials.Eos.Count == 0) j.WriteNull("eos_token_id");
            else JsonFileWriter.WriteIdOrList(j, "eos_token_id", specials.Eos);
            JsonFileWriter.WriteOptionalId(j, "pad_token_id", specials.Pad);
            if (options.Head != ModelHead.LanguageModel) j.WriteNumber("num_labels", 1);
            j.WriteStartObject("alignedgen");
            j.WriteString("construction", "random");
            j.WriteNumber("seed", s.Seed);
            j.WriteString("graph_style", options.Style == GraphStyle.GenAi ? "onnxruntime-genai" : "optimum");
            j.WriteString("weights", options.Weights switch { WeightFormat.Float16 => "float16", WeightFormat.Int4 => "int4 MatMulNBits block 32", _ => "float32" });
            if (options.Weights == WeightFormat.Int4) j.WriteNumber("int4_accuracy_level", options.Int4AccuracyLevel);
            j.WriteString("head", options.Head switch
            {
                ModelHead.SequenceClassification => "sequence_classification",
                ModelHead.CachedScores => "cached_decoder_scores",
                _ => "language_model",
            });
            j.WriteNumber("parameters", options.Head == ModelHead.LanguageModel ? s.ParameterCount : s.ParameterCountWith(s.HiddenSize));
            j.WriteString("tokenizer", tokenizer?.Description ?? "none");
            j.WriteEndObject();
            j.WriteEndObject();
        });
    }
}
