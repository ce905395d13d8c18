namespace AlignedGen.Rewards;

/// <summary>Where an <see cref="EmbedderReference"/> gets its sentence embedder.</summary>
public enum EmbedderReferenceKind
{
    /// <summary>The packaged all-MiniLM-L6-v2 (<see cref="MiniLmSentenceEmbedder"/>, the proxy reward's embedder); written as its options.</summary>
    MiniLm,

    /// <summary>An ONNX sentence-embedding folder opened with <see cref="OnnxSentenceEmbedder.FromFolder"/>; written as its path and options.</summary>
    ModelFolder,

    /// <summary>An embedder object built in code; used as is, never disposed, not written.</summary>
    Source,
}
