namespace AlignedGen.Decoding;

/// <summary>The value type of a <see cref="StrategyParameter"/>: what surfaces offer (an int, a double, a switch, a string).</summary>
public enum StrategyParameterKind
{
    /// <summary>A whole number (<see cref="int"/>).</summary>
    Integer,

    /// <summary>A finite number (<see cref="double"/>).</summary>
    Number,

    /// <summary>On or off (<see cref="bool"/>); written 0 / 1 in specs and labels, read as 0, 1, false or true.</summary>
    Flag,

    /// <summary>Text (<see cref="string"/>); quoted in specs when it holds spaces, quotes or '='.</summary>
    Text,
}
