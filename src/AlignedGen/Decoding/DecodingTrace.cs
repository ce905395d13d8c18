namespace AlignedGen.Decoding;

/// <summary>A strategy's record of how it found a response (base of strategy-specific traces such as <see cref="DarwinTrace"/>).</summary>
public abstract record DecodingTrace
{
    /// <summary>Plain-language notes a user should see (e.g. "mutation failed; DARWIN ran as replacement-only search").</summary>
    public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();
}
