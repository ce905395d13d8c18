namespace AlignedGen.Decoding;

/// <summary>
/// Where Speculative Rejection's random streams come from: sample j of a request draws every token from one stream
/// seeded (request seed, j, 0) — the stream Best-of-N's sample j uses — kept across decision points. With the same seed
/// and sampling settings every response it returns is therefore one of Best-of-N's N samples, and stopping a sample
/// never changes another's tokens; results do not depend on the batch size.
/// </summary>
internal static class SpeculativeRejectionSeeds
{
    /// <summary>The token stream of sample <paramref name="sample"/> of the request seeded <paramref name="requestSeed"/>.</summary>
    public static Random Sample(int requestSeed, int sample) => new(SeedMixer.Mix(requestSeed, sample, 0));
}
