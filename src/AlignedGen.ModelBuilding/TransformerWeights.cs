namespace AlignedGen.ModelBuilding;

/// <summary>
/// All weights of a constructed model, row-major, with x·W conventions (W is [in, out]). Tests read these to run an
/// independent reference forward pass.
/// </summary>
internal sealed class TransformerWeights
{
    public required ResidualLayout Layout { get; init; }
    public required int Heads { get; init; }
    public required int KvHeads { get; init; }
    public required int HeadSize { get; init; }
    public required int MlpSize { get; init; }
    public required int MaxPositions { get; init; }
    /// <summary>RMSNorm epsilon of every built model.</summary>
    public const float NormEpsilon = 1e-5f;

    /// <summary>[V, H].</summary>
    public required float[] TokenEmbedding { get; init; }

    /// <summary>[MaxPositions, H].</summary>
    public required float[] PositionEmbedding { get; init; }

    public required TransformerLayerWeights[] Layers { get; init; }

    /// <summary>[H, HeadOutputs]: the LM head (HeadOutputs = V) or the reward head (HeadOutputs = 1).</summary>
    public required float[] Head { get; init; }

    public required int HeadOutputs { get; init; }

    public int Vocabulary => Layout.Vocabulary;
    public int Hidden => Layout.Hidden;
}

/// <summary>One pre-norm block: RMSNorm → attention → residual add; RMSNorm → SiLU MLP → residual add.</summary>
internal sealed class TransformerLayerWeights
{
    /// <summary>[H] RMSNorm gain before attention.</summary>
    public required float[] AttentionNorm { get; init; }
    /// <summary>[H, heads·headSize].</summary>
    public required float[] Query { get; init; }
    /// <summary>[H, kvHeads·headSize].</summary>
    public required float[] Key { get; init; }
    /// <summary>[H, kvHeads·headSize].</summary>
    public required float[] Value { get; init; }
    /// <summary>[heads·headSize, H].</summary>
    public required float[] Output { get; init; }
    /// <summary>[H] RMSNorm gain before the MLP.</summary>
    public required float[] MlpNorm { get; init; }
    /// <summary>[H, mlp].</summary>
    public required float[] Up { get; init; }
    /// <summary>[mlp, H].</summary>
    public required float[] Down { get; init; }
}
