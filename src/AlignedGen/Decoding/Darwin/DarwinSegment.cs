namespace AlignedGen.Decoding;

/// <summary>One replacement point: the beams' rewards after a segment, the kept top states, and the replacements made.</summary>
public sealed record DarwinSegment
{
    /// <summary>1-based segment number within the iteration.</summary>
    public required int Number { get; init; }
    /// <summary>Each beam's reward after the segment (a beam that finished earlier keeps its last reward).</summary>
    public required IReadOnlyList<float> Rewards { get; init; }
    /// <summary>The kept top states, best first.</summary>
    public required IReadOnlyList<int> Kept { get; init; }
    /// <summary>Running beams that took a kept state's response.</summary>
    public required IReadOnlyList<DarwinReplacement> Replacements { get; init; }
    /// <summary>Each beam's response token ids after the segment, before the replacements.</summary>
    public required IReadOnlyList<IReadOnlyList<int>> Responses { get; init; }
}
