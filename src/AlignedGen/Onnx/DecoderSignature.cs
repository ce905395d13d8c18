using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AlignedGen.Onnx;

/// <summary>
/// The input/output names, cache geometry and element types of a decoder graph with a KV cache, discovered from the
/// session's metadata (names like <c>past_key_values.N.key</c> / <c>present.N.key</c>, or genai_config.json's patterns).
/// The main output is either <c>logits</c> [batch, seq, vocab] (a causal LM) or <c>scores</c> [batch, seq] (a cached reward model).
/// </summary>
internal sealed class DecoderSignature
{
    public required string InputIds { get; init; }
    public required string AttentionMask { get; init; }
    public string? PositionIds { get; init; }
    public required string[] PastKeys { get; init; }
    public required string[] PastValues { get; init; }
    public required string MainOutput { get; init; }
    public required string[] PresentKeys { get; init; }
    public required string[] PresentValues { get; init; }
    public required TensorElementType IdsType { get; init; }
    public required TensorElementType MaskType { get; init; }
    public required TensorElementType CacheType { get; init; }
    public required TensorElementType OutputType { get; init; }
    public required int KeyValueHeads { get; init; }
    public required int HeadSize { get; init; }
    /// <summary>Last dimension of the main output (vocab for logits), or 1 for per-position scores; -1 if symbolic.</summary>
    public required int OutputWidth { get; init; }
    public bool OutputIsPerPositionScalar { get; init; }

    /// <summary>
    /// True when the graph uses ONNX Runtime's GroupQueryAttention contrib op (onnxruntime-genai exports). That op
    /// reads each row's cache as right-padded (valid entries first, length = sum of its mask), so batches are
    /// right-padded for it; standard-attention graphs are left-padded.
    /// </summary>
    public bool RightPadded { get; init; }

    public int Layers => PastKeys.Length;

    /// <summary>Peak KV-cache bytes of a state over this graph with <paramref name="rows"/> rows of <paramref name="tokens"/> positions.</summary>
    public long CacheBytes(int rows, int tokens) => KeyValueCache.PeakBytes(2 * Layers, CacheType, KeyValueHeads, HeadSize, rows, tokens);

    private static readonly Regex PastKey = new(@"^past_key_values\.(\d+)\.key$|^past\.(\d+)\.key$|^past_key_(\d+)$", RegexOptions.Compiled);

    public static DecoderSignature Discover(InferenceSession session, string modelPath, string mainOutputName, int? configKvHeads = null, int? configHeadSize = null)
    {
        var inputs = session.InputMetadata;
        var outputs = session.OutputMetadata;
        T Fail<T>(string problem, string fix) => throw new ModelFolderException(modelPath, problem, fix);
        void Throw(string problem, string fix) => throw new ModelFolderException(modelPath, problem, fix);

        if (!inputs.ContainsKey("input_ids"))
            Throw($"the ONNX graph has no 'input_ids' input (inputs: {string.Join(", ", inputs.Keys)}).", "export a causal LM with Hugging Face Optimum or onnxruntime-genai (inputs input_ids, attention_mask, past_key_values.N.key/value).");
        if (!inputs.ContainsKey("attention_mask"))
            Throw($"the ONNX graph has no 'attention_mask' input (inputs: {string.Join(", ", inputs.Keys)}).", "export the decoder with an attention_mask input.");
        if (!outputs.ContainsKey(mainOutputName))
            Throw($"the ONNX graph has no '{mainOutputName}' output (outputs: {string.Join(", ", outputs.Keys)}).", $"export a graph whose main output is named '{mainOutputName}'.");

        var layers = new SortedDictionary<int, (string key, string value)>();
        foreach (var name in inputs.Keys)
        {
            var match = PastKey.Match(name);
            if (!match.Success) continue;
            int layer = int.Parse(match.Groups.Cast<Group>().Skip(1).First(g => g.Success).Value);
            string valueName = name.EndsWith(".key") ? name[..^3] + "value" : name.Replace("past_key_", "past_value_");
            if (!inputs.ContainsKey(valueName)) Throw($"the graph has '{name}' but no '{valueName}'.", "export both key and value caches for every layer.");
            layers[layer] = (name, valueName);
        }
        if (layers.Count == 0)
            Throw($"the ONNX graph has no KV-cache inputs (past_key_values.N.key/value); inputs: {string.Join(", ", inputs.Keys)}.",
                "export the decoder 'with past' (Optimum: --task text-generation-with-past).");
        if (layers.Keys.First() != 0 || layers.Keys.Last() != layers.Count - 1)
            Throw("the KV-cache layer indices are not contiguous from 0.", "re-export the model.");

        var presentKeys = new string[layers.Count];
        var presentValues = new string[layers.Count];
        foreach (var (i, (k, v)) in layers)
        {
            presentKeys[i] = FindPresent(outputs.Keys, i, "key") ?? Fail<string>($"no present output for layer {i} key.", "export present.N.key/value outputs.");
            presentValues[i] = FindPresent(outputs.Keys, i, "value") ?? Fail<string>($"no present output for layer {i} value.", "export present.N.key/value outputs.");
        }

        var pastMeta = inputs[layers[0].key];
        var dims = pastMeta.Dimensions; // [batch, kv_heads, past, head_size]
        if (dims.Length != 4)
            Throw($"'{layers[0].key}' has rank {dims.Length}; expected [batch, kv_heads, past, head_size].", "export the cache in the [batch, heads, seq, head_size] layout.");
        int kvHeads = dims[1] > 0 ? dims[1] : configKvHeads ?? Fail<int>("the number of KV heads is symbolic in the graph and missing from the config.", "add num_key_value_heads to config.json.");
        int headSize = dims[3] > 0 ? dims[3] : configHeadSize ?? Fail<int>("the head size is symbolic in the graph and missing from the config.", "add head_dim to config.json.");

        var outMeta = outputs[mainOutputName];
        bool scalarPerPosition = outMeta.Dimensions.Length == 2;
        int width = scalarPerPosition ? 1 : outMeta.Dimensions[^1];

        return new DecoderSignature
        {
            InputIds = "input_ids",
            AttentionMask = "attention_mask",
            PositionIds = inputs.ContainsKey("position_ids") ? "position_ids" : null,
            PastKeys = layers.Values.Select(l => l.key).ToArray(),
            PastValues = layers.Values.Select(l => l.value).ToArray(),
            MainOutput = mainOutputName,
            PresentKeys = presentKeys,
            PresentValues = presentValues,
            IdsType = inputs["input_ids"].ElementDataType,
            MaskType = inputs["attention_mask"].ElementDataType,
            CacheType = pastMeta.ElementDataType,
            OutputType = outMeta.ElementDataType,
            KeyValueHeads = kvHeads,
            HeadSize = headSize,
            OutputWidth = width,
            OutputIsPerPositionScalar = scalarPerPosition,
            RightPadded = ContainsOperator(modelPath, "GroupQueryAttention"),
        };
    }

    /// <summary>Looks for an operator name in the graph's node section (nodes precede weights in ONNX files).</summary>
    internal static bool ContainsOperator(string modelPath, string opType)
    {
        var needle = System.Text.Encoding.ASCII.GetBytes(opType);
        using var stream = File.OpenRead(modelPath);
        var buffer = new byte[1 << 20];
        long limit = 64L << 20;
        int carry = 0;
        long read = 0;
        while (read < limit)
        {
            int n = stream.Read(buffer, carry, buffer.Length - carry);
            if (n <= 0) break;
            read += n;
            int valid = carry + n;
            if (buffer.AsSpan(0, valid).IndexOf(needle) >= 0) return true;
            carry = Math.Min(needle.Length - 1, valid);
            Array.Copy(buffer, valid - carry, buffer, 0, carry);
        }
        return false;
    }

    private static string? FindPresent(IEnumerable<string> outputs, int layer, string kind)
    {
        foreach (var candidate in new[] { $"present.{layer}.{kind}", $"present_{kind}_values.{layer}", $"present_{kind}_{layer}", $"present.{layer}.{kind}s" })
            if (outputs.Contains(candidate)) return candidate;
        return null;
    }
}
