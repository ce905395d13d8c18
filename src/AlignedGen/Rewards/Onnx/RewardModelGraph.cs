using AlignedGen.Models;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AlignedGen.Rewards;

/// <summary>
/// The input/output signature of a reward model's ONNX graph and the layout it implies
/// (cached decoder, encoder or decoder sequence classifier). Kept by the model for incremental (ARGS) scoring.
/// </summary>
internal sealed class RewardModelGraph
{
    internal const string InputIds = "input_ids";
    internal const string AttentionMask = "attention_mask";
    internal const string TokenTypeIds = "token_type_ids";
    internal const string PositionIds = "position_ids";
    internal const string Logits = "logits";
    internal const string Scores = "scores";
    private const string PastPrefix = "past_key_values.";
    private const string PresentPrefix = "present.";

    private RewardModelGraph(RewardModelKind kind, string outputName)
    {
        Kind = kind;
        OutputName = outputName;
    }

    public RewardModelKind Kind { get; }

    /// <summary>The reward output: <c>logits</c> [batch, 1] or <c>scores</c> [batch, seq].</summary>
    public string OutputName { get; }

    public bool HasTokenTypeIds { get; private init; }
    public bool HasPositionIds { get; private init; }

    /// <summary>Cached decoder: past key / value input names by layer, and the matching present outputs.</summary>
    public string[] PastKeyNames { get; private init; } = Array.Empty<string>();
    public string[] PastValueNames { get; private init; } = Array.Empty<string>();
    public string[] PresentKeyNames { get; private init; } = Array.Empty<string>();
    public string[] PresentValueNames { get; private init; } = Array.Empty<string>();

    /// <summary>Cached decoder: KV heads and head size (dims 1 and 3 of the past tensors).</summary>
    public int KvHeads { get; private init; }
    public int HeadDim { get; private init; }

    public int LayerCount => PastKeyNames.Length;

    /// <summary>Reads the graph's inputs and outputs; throws <see cref="ModelFolderException"/> when they do not form a supported reward model.</summary>
    /// <remarks><paramref name="encoderFamily"/> (from config.json's model_type) marks a graph without token_type_ids (DistilBERT, RoBERTa) as an encoder.</remarks>
    public static RewardModelGraph Inspect(InferenceSession session, string modelPath, int? configKvHeads = null, int? configHeadDim = null, bool encoderFamily = false)
    {
        var inputs = session.InputMetadata;
        var outputs = session.OutputMetadata;
        RequireInt64(inputs, InputIds, modelPath);
        RequireInt64(inputs, AttentionMask, modelPath);

        var pastKeys = new SortedDictionary<int, string>();
        var pastValues = new SortedDictionary<int, string>();
        var unknown = new List<string>();
        foreach (var name in inputs.Keys)
        {
            if (name is InputIds or AttentionMask or TokenTypeIds or PositionIds) continue;
            if (TryParseLayer(name, PastPrefix, out var layer, out var isKey))
                (isKey ? pastKeys : pastValues)[layer] = name;
            else
                unknown.Add(name);
        }
        if (unknown.Count > 0)
            throw new ModelFolderException(modelPath, $"The graph has inputs a reward model does not take: {string.Join(", ", unknown)}.",
                "Export the reward model with input_ids, attention_mask (and token_type_ids / position_ids / past_key_values.N.key|value) only.");
        var hasTypes = inputs.ContainsKey(TokenTypeIds);
        var hasPositions = inputs.ContainsKey(PositionIds);
        if (hasTypes) RequireInt64(inputs, TokenTypeIds, modelPath);
        if (hasPositions) RequireInt64(inputs, PositionIds, modelPath);

        if (pastKeys.Count > 0 || pastValues.Count > 0)
            return InspectCached(session, modelPath, pastKeys, pastValues, hasPositions, configKvHeads, configHeadDim);

        if (!outputs.TryGetValue(Logits, out var logits))
        {
            throw new ModelFolderException(modelPath,
                $"The graph has no '{Logits}' output (outputs: {string.Join(", ", outputs.Keys)}).",
                "Export the sequence-classification head's output as 'logits' [batch, 1].");
        }
        var dims = logits.Dimensions;
        if (dims.Length == 3)
            throw new ModelFolderException(modelPath, $"'{Logits}' has shape [{string.Join(", ", dims)}]: this looks like a language model (per-token logits), not a reward model.",
                "Load a sequence-classification reward model (logits [batch, 1]) or a cached reward model with a 'scores' output.");
        if (dims.Length != 2 || (dims[1] != 1 && dims[1] != -1))
            throw new ModelFolderException(modelPath, $"'{Logits}' has shape [{string.Join(", ", dims)}]; a reward model outputs [batch, 1].",
                "Export a single-label head (num_labels = 1).");
        return new RewardModelGraph(hasTypes || encoderFamily ? RewardModelKind.EncoderSequenceClassification : RewardModelKind.DecoderSequenceClassification, Logits)
        {
            HasTokenTypeIds = hasTypes,
            HasPositionIds = hasPositions,
        };
    }

    private static RewardModelGraph InspectCached(InferenceSession session, string modelPath, SortedDictionary<int, string> pastKeys,
        SortedDictionary<int, string> pastValues, bool hasPositions, int? configKvHeads, int? configHeadDim)
    {
        var outputs = session.OutputMetadata;
        if (!outputs.ContainsKey(Scores))
        {
            var hint = outputs.ContainsKey(Logits) ? " It has 'logits': this looks like a causal language model, not a reward model." : "";
            throw new ModelFolderException(modelPath, $"The graph takes a KV cache but has no '{Scores}' output (outputs: {string.Join(", ", outputs.Keys)}).{hint}",
                "A cached reward model outputs per-position rewards as 'scores' [batch, seq].");
        }
        var layers = pastKeys.Count;
        for (var i = 0; i < layers; i++)
        {
            if (!pastKeys.ContainsKey(i) || !pastValues.ContainsKey(i))
                throw new ModelFolderException(modelPath, $"past_key_values.{i}.key / .value are not both present (layers must be 0..N-1 with a key and a value each).",
                    "Export every layer's past key and value.");
        }
        if (pastValues.Count != layers)
            throw new ModelFolderException(modelPath, "The graph has more past values than past keys.", "Export every layer's past key and value.");

        var meta = session.InputMetadata[pastKeys[0]];
        if (meta.ElementDataType != TensorElementType.Float)
            throw new ModelFolderException(modelPath, $"{pastKeys[0]} is {meta.ElementDataType}; only float32 caches are supported.", "Export the reward model with a float32 KV cache.");
        var kvHeads = meta.Dimensions.Length == 4 && meta.Dimensions[1] > 0 ? meta.Dimensions[1] : configKvHeads ?? -1;
        var headDim = meta.Dimensions.Length == 4 && meta.Dimensions[3] > 0 ? meta.Dimensions[3] : configHeadDim ?? -1;
        if (meta.Dimensions.Length != 4 || kvHeads <= 0 || headDim <= 0)
            throw new ModelFolderException(modelPath, $"Cannot tell the KV heads / head size of {pastKeys[0]} (shape [{string.Join(", ", meta.Dimensions)}]).",
                "Give the cache tensors fixed head dims [batch, heads, past, head_dim], or set num_key_value_heads and head_dim in config.json.");

        var presentKeys = new string[layers];
        var presentValues = new string[layers];
        for (var i = 0; i < layers; i++)
        {
            presentKeys[i] = $"{PresentPrefix}{i}.key";
            presentValues[i] = $"{PresentPrefix}{i}.value";
            if (!outputs.ContainsKey(presentKeys[i]) || !outputs.ContainsKey(presentValues[i]))
                throw new ModelFolderException(modelPath, $"The graph lacks the '{presentKeys[i]}' / '{presentValues[i]}' outputs matching its past inputs.",
                    "Export present.N.key / present.N.value for every layer.");
        }
        return new RewardModelGraph(RewardModelKind.CachedDecoder, Scores)
        {
            HasPositionIds = hasPositions,
            PastKeyNames = pastKeys.Values.ToArray(),
            PastValueNames = pastValues.Values.ToArray(),
            PresentKeyNames = presentKeys,
            PresentValueNames = presentValues,
            KvHeads = kvHeads,
            HeadDim = headDim,
        };
    }

    private static void RequireInt64(IReadOnlyDictionary<string, NodeMetadata> inputs, string name, string modelPath)
    {
        if (!inputs.TryGetValue(name, out var meta))
            throw new ModelFolderException(modelPath, $"The graph has no '{name}' input (inputs: {string.Join(", ", inputs.Keys)}).",
                "Export the reward model with Hugging Face input names (input_ids, attention_mask).");
        if (meta.ElementDataType != TensorElementType.Int64)
            throw new ModelFolderException(modelPath, $"Input '{name}' is {meta.ElementDataType}; AlignedGen feeds int64.", "Export the reward model with int64 token inputs.");
    }

    private static bool TryParseLayer(string name, string prefix, out int layer, out bool isKey)
    {
        layer = -1;
        isKey = false;
        if (!name.StartsWith(prefix, StringComparison.Ordinal)) return false;
        var rest = name.AsSpan(prefix.Length);
        var dot = rest.IndexOf('.');
        if (dot <= 0 || !int.TryParse(rest[..dot], out layer)) return false;
        var kind = rest[(dot + 1)..];
        if (kind.SequenceEqual("key")) { isKey = true; return true; }
        return kind.SequenceEqual("value");
    }
}
