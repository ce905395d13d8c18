using AlignedGen.Tokenization;

namespace AlignedGen.ModelBuilding;

/// <summary>What <see cref="DecoderModelBuilder"/> writes: a shape with random weights, in a graph style and a weight format, with a head.</summary>
public sealed record DecoderModelOptions
{
    /// <summary>Options for <paramref name="shape"/> (validated here, so a bad shape fails before anything is written).</summary>
    public DecoderModelOptions(DecoderShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        shape.Validate();
        Shape = shape;
    }

    /// <summary>The architecture and seed.</summary>
    public DecoderShape Shape { get; }

    /// <summary>Optimum (standard operators, position_ids) or onnxruntime-genai (GroupQueryAttention).</summary>
    public GraphStyle Style { get; init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Style), value, "Use GraphStyle.Optimum or GraphStyle.GenAi."); }

    /// <summary>float32, float16 or int4 weights.</summary>
    public WeightFormat Weights { get; init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Weights), value, "Use Float32, Float16 or Int4."); }

    /// <summary>A language model (default) or one of the two reward-model layouts.</summary>
    public ModelHead Head { get; init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Head), value, "Use LanguageModel, SequenceClassification or CachedScores."); }

    /// <summary>
    /// MatMulNBits' accuracy_level for int4: 4 (default) computes with int8 activations, as onnxruntime-genai's builder
    /// writes for CPUs; 0 computes in float32 (exactly the dequantized weights, for reference checks).
    /// </summary>
    public int Int4AccuracyLevel { get; init => field = value is >= 0 and <= 4 ? value : throw new ArgumentOutOfRangeException(nameof(Int4AccuracyLevel), value, "Int4AccuracyLevel must be 0..4 (0 = float32 compute, 4 = int8 compute)."); } = 4;

    /// <summary>
    /// Weights in model.onnx.data beside model.onnx. Null (default) decides by size: external once the weights pass
    /// 1 GiB (protobuf caps a file at 2 GiB, and onnxruntime-genai's builder always writes external data for big models).
    /// </summary>
    public bool? ExternalData { get; init; }

    /// <summary>The tokenizer files the folder gets (default: the byte-level tokenizer when the vocabulary is 259, else none).</summary>
    public BuiltTokenizer? Tokenizer { get; init; }

    /// <summary>Special ids for the config files; null takes them from <see cref="Tokenizer"/>.</summary>
    public SpecialTokenIds? SpecialTokens { get; init; }

    /// <summary>Weights at or above this size go external when <see cref="ExternalData"/> is null.</summary>
    public const long AutoExternalDataBytes = 1L << 30;
}
