using System.Globalization;

namespace AlignedGen.ModelBuilding;

/// <summary>
/// The architecture of a Llama / Qwen2 / Mistral-style decoder: the numbers in a Hugging Face config.json. Each value is
/// checked when set; <see cref="Validate"/> checks the rules between values (heads divide the hidden size, KV heads
/// divide heads), which the builders call before writing anything.
/// </summary>
public sealed record DecoderShape
{
    /// <summary>Which family the model imitates; Qwen2 implies <see cref="QkvBias"/>, Mistral a <see cref="SlidingWindow"/>.</summary>
    public DecoderFamily Family { get; init => field = Enum.IsDefined(value) ? value : throw new ArgumentOutOfRangeException(nameof(Family), value, "Use Llama, Qwen2 or Mistral."); }

    /// <summary>Rows of the embedding and width of the logits (2..1,048,576).</summary>
    public int VocabularySize { get; init => field = InRange(value, 2, 1 << 20, nameof(VocabularySize)); } = 259;

    /// <summary>Width of the residual stream (2..65,536).</summary>
    public int HiddenSize { get; init => field = InRange(value, 2, 1 << 16, nameof(HiddenSize)); } = 64;

    /// <summary>Transformer blocks (1..256).</summary>
    public int Layers { get; init => field = InRange(value, 1, 256, nameof(Layers)); } = 2;

    /// <summary>Query heads per block (1..256); the head size is <see cref="HiddenSize"/> / Heads.</summary>
    public int Heads { get; init => field = InRange(value, 1, 256, nameof(Heads)); } = 4;

    /// <summary>Key/value heads per block; fewer than <see cref="Heads"/> is grouped-query attention. Must divide Heads.</summary>
    public int KvHeads { get; init => field = InRange(value, 1, 256, nameof(KvHeads)); } = 2;

    /// <summary>Inner width of the SwiGLU MLP (1..262,144).</summary>
    public int IntermediateSize { get; init => field = InRange(value, 1, 1 << 18, nameof(IntermediateSize)); } = 128;

    /// <summary>RoPE base θ (10,000 for Llama 2, 500,000 for Llama 3, 1,000,000 for Qwen2.5).</summary>
    public double RopeTheta
    {
        get;
        init => field = double.IsFinite(value) && value > 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(RopeTheta), value, $"RopeTheta = {value.ToString(CultureInfo.InvariantCulture)}; use a finite base above 1 such as 10000.");
    } = 10000;

    /// <summary>Whether the LM head reuses the embedding matrix (SmolLM2, Qwen2.5 up to 3B, Llama 3.2).</summary>
    public bool TiedEmbeddings { get; init; }

    /// <summary>Biases on the query, key and value projections (Qwen2). Null follows the family.</summary>
    public bool? QkvBias { get; init; }

    /// <summary>Keys further back than this many positions are not attended (Mistral); null attends to the whole prefix.</summary>
    public int? SlidingWindow { get; init => field = value is null ? null : InRange(value.Value, 1, 1 << 24, nameof(SlidingWindow)); }

    /// <summary>Longest sequence (the rotary tables' rows; config's max_position_embeddings), 1..1,048,576.</summary>
    public int MaxPositions { get; init => field = InRange(value, 1, 1 << 20, nameof(MaxPositions)); } = 2048;

    /// <summary>RMSNorm epsilon (1e-5 for Llama, 1e-6 for Qwen2).</summary>
    public float RmsNormEpsilon
    {
        get;
        init => field = float.IsFinite(value) && value > 0 && value < 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(RmsNormEpsilon), value, "RmsNormEpsilon must be in (0, 1), e.g. 1e-5.");
    } = 1e-5f;

    /// <summary>Seed of the deterministic random weights: the same shape and seed give the same bytes on every run.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Size of one attention head.</summary>
    public int HeadSize => HiddenSize / Heads;

    /// <summary>Whether the query/key/value projections carry biases.</summary>
    public bool HasQkvBias => QkvBias ?? Family == DecoderFamily.Qwen2;

    /// <summary>Width of the query projection's output (heads × head size).</summary>
    public int QueryWidth => Heads * HeadSize;

    /// <summary>Width of the key (and of the value) projection's output (KV heads × head size).</summary>
    public int KeyValueWidth => KvHeads * HeadSize;

    /// <summary>Distinct parameters of the decoder body plus its LM head (tied embeddings counted once).</summary>
    public long ParameterCount => ParameterCountWith(TiedEmbeddings ? 0 : (long)VocabularySize * HiddenSize);

    /// <summary>Bytes of KV cache one token position takes in one row (all layers, keys and values).</summary>
    public long KeyValueBytesPerPosition(int elementBytes) => 2L * Layers * KeyValueWidth * elementBytes;

    /// <summary>Distinct parameters with a head of <paramref name="headParameters"/> values.</summary>
    internal long ParameterCountWith(long headParameters)
    {
        long h = HiddenSize, perLayer = 2 * h                                   // two RMSNorm gains
            + h * QueryWidth + 2 * h * KeyValueWidth + QueryWidth * h           // q, k, v, o
            + (HasQkvBias ? QueryWidth + 2L * KeyValueWidth : 0)
            + 3 * h * IntermediateSize;                                         // gate, up, down
        return (long)VocabularySize * h + Layers * perLayer + h + headParameters;
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the value and the fix when the numbers do not form a model:
    /// heads that do not divide the hidden size, KV heads that do not divide heads, an odd head size (RoPE rotates pairs).
    /// </summary>
    public void Validate()
    {
        if (HiddenSize % Heads != 0)
            throw new ArgumentException(
                $"HiddenSize = {HiddenSize} is not a multiple of Heads = {Heads}, so the heads cannot split it; use a hidden size that is a multiple of {Heads} " +
                $"(such as {(HiddenSize / Heads + 1) * Heads}) or a head count that divides {HiddenSize}.", nameof(HiddenSize));
        if (Heads % KvHeads != 0)
            throw new ArgumentException($"KvHeads = {KvHeads} does not divide Heads = {Heads}; use a divisor of {Heads} such as 1 or {Heads}.", nameof(KvHeads));
        if (HeadSize % 2 != 0)
            throw new ArgumentException($"The head size HiddenSize / Heads = {HiddenSize} / {Heads} = {HeadSize} is odd; RoPE rotates pairs of dimensions, so pick sizes that give an even head size (e.g. 64).", nameof(HiddenSize));
    }

    private static int InRange(int value, int min, int max, string name) =>
        value >= min && value <= max ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} = {value}; it must be in {min}..{max}.");
}
