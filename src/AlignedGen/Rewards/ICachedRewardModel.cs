using AlignedGen.Models;

namespace AlignedGen.Rewards;

/// <summary>What <see cref="CachedRewardCandidateScorer"/> needs from a cached decoder reward model: a fresh KV-cache state and its context length.</summary>
internal interface ICachedRewardModel
{
    /// <summary>Source name used in notes.</summary>
    string Name { get; }

    /// <summary>Longest sequence the model scores (longer ones are windowed to their end).</summary>
    int ContextLength { get; }

    /// <summary>A fresh decoder state whose row outputs are the rewards of the rows' prefixes.</summary>
    IDecoderState CreateState();
}
