namespace AlignedGen.Tests.Hostile;

/// <summary>Hostile prompts and prompt files for generation (filled in with per-row failure isolation).</summary>
public static partial class HostileCases
{
    private static IEnumerable<HostileCase> Generation() => Array.Empty<HostileCase>();
}
