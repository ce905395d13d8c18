namespace AlignedGen.Decoding;

/// <summary>A candidate response and its reward.</summary>
public sealed record ScoredResponse(string Text, IReadOnlyList<int> TokenIds, float Reward, FinishReason FinishReason);
