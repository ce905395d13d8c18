namespace AlignedGen.Decoding;

/// <summary>
/// Where DARWIN's random streams come from, all derived from a request's seed (so results do not depend on batch size):
/// the seed response samples from the request row's own stream; parent picks and replacement choices from one control
/// stream per request; mutation round r of iteration i from rows seeded <see cref="Mutation"/> with sample index r;
/// beam b of iteration i from rows seeded <see cref="Beam"/> with sample index b, restarted at every segment from the
/// beam's response length (<see cref="SequenceRow.Random"/>).
/// </summary>
internal static class DarwinSeeds
{
    private const int ControlStream = 0x44415257;   // "DARW"
    private const int MutationStream = 1;
    private const int BeamStream = 2;

    /// <summary>The control stream of a request (parent picks, then replacement choices, in order).</summary>
    public static Random Control(int requestSeed) => new(SeedMixer.Mix(requestSeed, ControlStream));

    /// <summary>Seed of the mutation rows of an iteration.</summary>
    public static int Mutation(int requestSeed, int iteration) => SeedMixer.Mix(requestSeed, MutationStream, iteration);

    /// <summary>Seed of the beam rows of an iteration.</summary>
    public static int Beam(int requestSeed, int iteration) => SeedMixer.Mix(requestSeed, BeamStream, iteration);
}
