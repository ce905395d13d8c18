namespace AlignedGen.ML;

/// <summary>Where an <see cref="EmbedderSpec"/> gets its sentence embedder.</summary>
public enum EmbedderSpecKind
{
    /// <summary>The packaged all-MiniLM-L6-v2 (<see cref="AlignedGen.Rewards.MiniLmSentenceEmbedder"/>, the proxy reward's embedder); saved as its options.</summary>
    MiniLm,

    /// <summary>An ONNX sentence-embedding folder opened with <see cref="AlignedGen.Rewards.OnnxSentenceEmbedder.FromFolder"/>; saved as its path, content hash and options.</summary>
    ModelFolder,

    /// <summary>An embedder object built in code; works in memory but cannot be saved.</summary>
    Source,
}
