using Xunit;

namespace AlignedGen.Tests.Hostile;

/// <summary>
/// The hostile-input suite: every case of <see cref="HostileCases"/> run on its own, and docs/reliability.md checked to
/// list every case with the outcome the case asserts (so the table cannot drift from the code).
/// </summary>
public class HostileInputTests
{
    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        foreach (var c in HostileCases.All) data.Add(c.Id);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Each_hostile_input_gets_its_documented_outcome(string id)
    {
        var hostile = HostileCases.All.Single(c => c.Id == id);
        using var context = new HostileContext();
        hostile.Run(context);
    }

    [Fact]
    public void There_are_at_least_sixty_cases_with_distinct_ids()
    {
        Assert.True(HostileCases.All.Count >= 60, $"{HostileCases.All.Count} cases");
        Assert.Equal(HostileCases.All.Count, HostileCases.All.Select(c => c.Id).Distinct().Count());
    }

    /// <summary>
    /// The table in docs/reliability.md between its hostile-cases markers must be the catalogue's. With
    /// ALIGNEDGEN_UPDATE_DOCS=1 the test rewrites that table first (after adding or changing a case), then checks it.
    /// </summary>
    [Fact]
    public void Docs_reliability_lists_every_case_with_its_outcome()
    {
        var docs = Path.Combine(RepositoryRoot(), "docs", "reliability.md");
        if (Environment.GetEnvironmentVariable("ALIGNEDGEN_UPDATE_DOCS") == "1") UpdateTable(docs);
        var rows = File.ReadAllLines(docs).Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToArray();
        foreach (var c in HostileCases.All)
        {
            var row = rows.SingleOrDefault(r => r.StartsWith($"| `{c.Id}` |", StringComparison.Ordinal));
            Assert.True(row is not null, $"docs/reliability.md has no row for `{c.Id}`; expected:\n{HostileCases.TableRow(c)}");
            Assert.Equal(HostileCases.TableRow(c), row);
        }
    }

    private const string Start = "<!-- hostile-cases:start -->";
    private const string End = "<!-- hostile-cases:end -->";

    private static void UpdateTable(string docs)
    {
        var text = File.ReadAllText(docs);
        int from = text.IndexOf(Start, StringComparison.Ordinal), to = text.IndexOf(End, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"{docs} needs the markers {Start} and {End}");
        var table = string.Join("\n", new[] { "| case | area | input | what it gets |", "|---|---|---|---|" }.Concat(HostileCases.All.Select(HostileCases.TableRow)));
        File.WriteAllText(docs, text[..(from + Start.Length)] + "\n" + table + "\n" + text[to..]);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Pipeline.sln not found above " + AppContext.BaseDirectory);
    }
}
