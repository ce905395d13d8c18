using System.Text.Json;
using AlignedGen.Models;
using AlignedGen.Tokenization;

namespace AlignedGen.Rewards;

/// <summary>
/// Opens a reward-model folder (model.onnx, tokenizer files, config.json) and picks the class from the graph:
/// KV-cache inputs with a <c>scores</c> output → <see cref="CachedDecoderRewardModel"/>; <c>logits [batch, 1]</c> with
/// <c>token_type_ids</c> (or an encoder family in config.json) → encoder <see cref="SequenceClassificationRewardModel"/>;
/// otherwise a decoder <see cref="SequenceClassificationRewardModel"/>.
/// </summary>
public static partial class RewardModelLoader
{
    private static readonly string[] EncoderFamilies =
    {
        "bert", "roberta", "xlm-roberta", "deberta", "deberta-v2", "distilbert", "electra", "albert", "mpnet", "longformer", "modernbert",
    };

    /// <summary>
    /// Loads the reward model in <paramref name="folder"/> (or the folder of an .onnx file). <paramref name="tokenizer"/>
    /// overrides the folder's own; without either, only the token-id path works (allowed when <see cref="RewardModelOptions.UseTokenIds"/> is set).
    /// The maximum length defaults to config.json's <c>max_length</c>, else tokenizer_config.json's <c>model_max_length</c>,
    /// else <c>max_position_embeddings</c>. Throws <see cref="ModelFolderException"/> for missing files or an unsupported graph.
    /// </summary>
    public static OnnxRewardModel FromFolder(string folder, RewardModelOptions? options = null, ITextTokenizer? tokenizer = null)
    {
        options ??= RewardModelOptions.Default;
        var (root, modelPath) = Locate(folder);
        var config = FolderConfig.Read(root);
        var session = OnnxRewardModel.OpenSession(modelPath, options.Execution);
        try
        {
            var graph = RewardModelGraph.Inspect(session, modelPath, config.KvHeads, config.HeadDim, config.IsEncoderFamily);
            tokenizer ??= LoadTokenizer(root, options);
            return graph.Kind == RewardModelKind.CachedDecoder
                ? new CachedDecoderRewardModel((session, graph), modelPath, tokenizer, options, config.MaxLength)
                : new SequenceClassificationRewardModel((session, graph), modelPath, tokenizer, options, config.MaxLength);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Detects the layout of the reward model in <paramref name="folder"/> without loading its tokenizer.</summary>
    public static RewardModelKind DetectKind(string folder)
    {
        var (root, modelPath) = Locate(folder);
        var config = FolderConfig.Read(root);
        using var session = OnnxRewardModel.OpenSession(modelPath, null);
        return RewardModelGraph.Inspect(session, modelPath, config.KvHeads, config.HeadDim, config.IsEncoderFamily).Kind;
    }

    private static (string Root, string ModelPath) Locate(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var full = Path.GetFullPath(folder);
        if (File.Exists(full) && full.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
            return (Path.GetDirectoryName(full)!, full);
        if (!Directory.Exists(full))
            throw new ModelFolderException(full, "The reward-model folder does not exist.", "Pass the folder that holds model.onnx, the tokenizer files and config.json.");
        var model = Path.Combine(full, "model.onnx");
        if (File.Exists(model)) return (full, model);
        var candidates = Directory.GetFiles(full, "*.onnx");
        if (candidates.Length == 1) return (full, candidates[0]);
        throw new ModelFolderException(full,
            candidates.Length == 0 ? "The folder has no model.onnx." : $"The folder has no model.onnx and {candidates.Length} other .onnx files.",
            "Export the reward model as model.onnx (Hugging Face Optimum: --task text-classification), or pass the .onnx file's path.");
    }

    private static ITextTokenizer? LoadTokenizer(string root, RewardModelOptions options)
    {
        try
        {
            return TokenizerLoader.FromFolder(root);
        }
        catch (ModelFolderException) when (options.UseTokenIds)
        {
            return null; // token ids only; text queries fail with a message that says so
        }
    }

    /// <summary>What the loader reads from config.json and tokenizer_config.json.</summary>
    private sealed record FolderConfig(int? MaxLength, int? KvHeads, int? HeadDim, bool IsEncoderFamily)
    {
        public static FolderConfig Read(string root)
        {
            var config = ReadJson(Path.Combine(root, "config.json"));
            var tokenizerConfig = ReadJson(Path.Combine(root, "tokenizer_config.json"));
            int? Int(JsonElement? e, string name) =>
                e is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var l)
                    ? (int)Math.Min(l, int.MaxValue) : null;
            var modelMax = Int(tokenizerConfig, "model_max_length");
            if (modelMax is > 1_000_000) modelMax = null; // transformers writes a huge sentinel when there is no limit
            var maxLength = Int(config, "max_length") ?? modelMax ?? Int(config, "max_position_embeddings");
            var heads = Int(config, "num_attention_heads");
            var kv = Int(config, "num_key_value_heads") ?? heads;
            var headDim = Int(config, "head_dim") ?? (Int(config, "hidden_size") is { } h && heads is > 0 ? h / heads : null);
            var encoder = false;
            if (config is { ValueKind: JsonValueKind.Object } c)
            {
                if (c.TryGetProperty("model_type", out var type) && type.ValueKind == JsonValueKind.String)
                    encoder = EncoderFamilies.Contains(type.GetString()!.ToLowerInvariant());
            }
            return new FolderConfig(maxLength is >= 4 ? maxLength : null, kv, headDim, encoder);
        }

        private static JsonElement? ReadJson(string path)
        {
            if (!File.Exists(path)) return null;
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(path));
                return doc.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new ModelFolderException(path, $"The file is not valid JSON ({e.Message}).", "Restore it from the model's original repository, or delete it.", e);
            }
        }
    }
}
