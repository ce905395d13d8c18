namespace AlignedGen.Decoding;

/// <summary>One mutation call: what the model wrote and the instructions used (parsed, or copies of the parent when parsing failed).</summary>
public sealed record DarwinMutation
{
    /// <summary>The model's text (special tokens dropped).</summary>
    public required string GeneratedText { get; init; }
    /// <summary>True when the text held exactly the requested number of usable instructions.</summary>
    public required bool Parsed { get; init; }
    /// <summary>The instructions the beams got: the parsed list, or copies of the parent.</summary>
    public required IReadOnlyList<string> Instructions { get; init; }
    /// <summary>Why the text was not used, when <see cref="Parsed"/> is false.</summary>
    public string? Problem { get; init; }
    /// <summary>Tokens the mutating model sampled for this text (0 for mutators that generate nothing).</summary>
    public int GeneratedTokenCount { get; init; }
}
