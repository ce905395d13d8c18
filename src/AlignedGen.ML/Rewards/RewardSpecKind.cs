namespace AlignedGen.ML;

/// <summary>Where a <see cref="RewardSpec"/> gets its reward.</summary>
public enum RewardSpecKind
{
    /// <summary>An ONNX reward-model folder opened with <see cref="AlignedGen.Rewards.RewardModelLoader.FromFolder"/>; saved as its path and content hash.</summary>
    ModelFolder,

    /// <summary>Kim &amp; Seo's proxy reward with the packaged all-MiniLM-L6-v2 embedder; saved as its options.</summary>
    Proxy,

    /// <summary>A reward source object built in code (composite, delegate, ...); works in memory but cannot be saved.</summary>
    Source,
}
