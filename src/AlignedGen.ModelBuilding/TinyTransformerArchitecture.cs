namespace AlignedGen.ModelBuilding;

/// <summary>
/// Sizes of a constructed tiny transformer. The hidden size is derived: vocabulary + <see cref="PositionFeatures"/>
/// (+ 1 reward slot for reward models) + <see cref="ScratchDims"/>. Each property is validated when set; the
/// cross-property rule (heads divisible by KV heads) is checked by <see cref="Validate"/>, which the builders call.
/// </summary>
public sealed class TinyTransformerArchitecture
{
    /// <summary>Number of transformer blocks (1..64).</summary>
    public int Layers { get; init => field = InRange(value, 1, 64, nameof(Layers)); } = 1;

    /// <summary>Query heads per block (1..64).</summary>
    public int Heads { get; init => field = InRange(value, 1, 64, nameof(Heads)); } = 2;

    /// <summary>Key/value heads per block; fewer than <see cref="Heads"/> makes grouped-query attention. Must divide Heads.</summary>
    public int KvHeads { get; init => field = InRange(value, 1, 64, nameof(KvHeads)); } = 2;

    /// <summary>Size of each attention head (1..256).</summary>
    public int HeadSize { get; init => field = InRange(value, 1, 256, nameof(HeadSize)); } = 8;

    /// <summary>MLP inner size (1..4096).</summary>
    public int MlpSize { get; init => field = InRange(value, 1, 4096, nameof(MlpSize)); } = 16;

    /// <summary>Sinusoidal position features in the residual stream (even, 2..256).</summary>
    public int PositionFeatures
    {
        get;
        init => field = InRange(value, 2, 256, nameof(PositionFeatures)) % 2 == 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(PositionFeatures), value, "Position features come in sin/cos pairs; use an even number such as 8.");
    } = 8;

    /// <summary>Residual dimensions that attention and MLP outputs write (1..4096).</summary>
    public int ScratchDims { get; init => field = InRange(value, 1, 4096, nameof(ScratchDims)); } = 8;

    /// <summary>Rows of the learned position embedding = the longest sequence the model accepts (1..65536).</summary>
    public int MaxPositions { get; init => field = InRange(value, 1, 65536, nameof(MaxPositions)); } = 256;

    /// <summary>Seed of the PRNG that draws the random (non-constructed) weights.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Throws when <see cref="Heads"/> is not a multiple of <see cref="KvHeads"/>.</summary>
    public void Validate()
    {
        if (Heads % KvHeads != 0)
            throw new ArgumentException($"KvHeads = {KvHeads} does not divide Heads = {Heads}; use a divisor such as {Heads} or 1.", nameof(KvHeads));
    }

    private static int InRange(int value, int min, int max, string name) =>
        value >= min && value <= max ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be in {min}..{max}.");
}
