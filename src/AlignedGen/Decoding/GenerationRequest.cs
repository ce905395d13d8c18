namespace AlignedGen.Decoding;

/// <summary>One prompt to decode, with an optional id (carried to the result) and reference answer (for rewards).</summary>
public sealed record GenerationRequest(string Prompt, string? Id = null, string? Reference = null)
{
    /// <summary>Makes requests from plain prompts, ids "0", "1", ...</summary>
    public static IReadOnlyList<GenerationRequest> FromPrompts(IEnumerable<string> prompts)
        => prompts.Select((p, i) => new GenerationRequest(p, i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
}
