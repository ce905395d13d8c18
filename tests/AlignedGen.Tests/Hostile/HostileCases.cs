namespace AlignedGen.Tests.Hostile;

/// <summary>The catalogue of hostile inputs (≥ 60), by area; docs/reliability.md shows it as a table.</summary>
public static partial class HostileCases
{
    private static IReadOnlyList<HostileCase>? _all;

    public static IReadOnlyList<HostileCase> All => _all ??= Text().Concat(Files()).Concat(Jobs()).Concat(Generation()).ToArray();

    /// <summary>The case's row in docs/reliability.md: | `id` | area | input | outcome |.</summary>
    public static string TableRow(HostileCase c) => $"| `{c.Id}` | {c.Area} | {Cell(c.Input)} | {Cell(c.Outcome)} |";

    private static string Cell(string text) => text.Replace("|", "\\|");
}
