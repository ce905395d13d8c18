namespace AlignedGen.Decoding;

/// <summary>
/// Where CARDS's random streams come from, all derived from a request's seed (so results do not depend on batch size):
/// attempt a of segment s (s = segments accepted before it) draws its tokens from the stream seeded
/// (request seed, <see cref="TokenStream"/>, s, a) and, under soft acceptance, its acceptance test from the first draw
/// of the stream seeded (request seed, <see cref="AcceptStream"/>, s, a).
/// </summary>
internal static class CardsSeeds
{
    private const int TokenStream = 0x43524453;   // "CRDS"
    private const int AcceptStream = 0x43524441;  // "CRDA"

    /// <summary>The token stream of attempt <paramref name="attempt"/> of segment <paramref name="segment"/>.</summary>
    public static Random Tokens(int requestSeed, int segment, int attempt) => new(SeedMixer.Mix(requestSeed, TokenStream, segment, attempt));

    /// <summary>The uniform draw that decides a soft acceptance test.</summary>
    public static double AcceptDraw(int requestSeed, int segment, int attempt) => new Random(SeedMixer.Mix(requestSeed, AcceptStream, segment, attempt)).NextDouble();
}
