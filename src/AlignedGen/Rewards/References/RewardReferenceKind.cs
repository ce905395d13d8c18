namespace AlignedGen.Rewards;

/// <summary>Where a <see cref="RewardReference"/> gets its reward.</summary>
public enum RewardReferenceKind
{
    /// <summary>An ONNX reward-model folder, opened with <see cref="RewardModelLoader.FromFolder"/>; written as its path.</summary>
    ModelFolder,

    /// <summary>The built-in proxy reward (Kim &amp; Seo) with the packaged all-MiniLM-L6-v2 embedder; written as its options.</summary>
    Proxy,

    /// <summary>A weighted sum of other references (<see cref="CompositeRewardSource"/>); written when every part is.</summary>
    Composite,

    /// <summary>A reward source object built in code (a delegate, a loaded model, a script); used as is, never disposed, not written.</summary>
    Source,
}
