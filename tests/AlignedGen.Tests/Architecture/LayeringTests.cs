using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Xunit;

namespace AlignedGen.Tests.Architecture;

/// <summary>
/// Guards the core's shape: its namespaces form layers (no two use each other, directly or round a loop), and it
/// carries no ML.NET, PowerShell or model-building code — those are adapters and tooling over it.
/// </summary>
public class LayeringTests
{
    private static readonly string CorePath = typeof(AlignedGenDefaults).Assembly.Location;

    /// <summary>Assemblies only the adapters and tools may use.</summary>
    private static readonly string[] ForbiddenAssemblies =
    {
        "Microsoft.ML", "Microsoft.ML.Core", "Microsoft.ML.Data", "Microsoft.ML.DataView", "Microsoft.ML.OnnxTransformer",
        "Microsoft.ML.CpuMath", "System.Management.Automation", "Microsoft.PowerShell.Commands.Utility",
        "AlignedGen.ModelBuilding", "AlignedGen.ML", "AlignedGen.PowerShell", "AlignedGen.Cli", "AlignedGen.Reporting",
    };

    [Fact]
    public void CoreNamespacesHaveNoCycles()
    {
        var graph = NamespaceGraph.Read(CorePath, "AlignedGen");
        Assert.Contains("AlignedGen.Decoding", graph.Namespaces);
        Assert.Contains("AlignedGen.Rewards", graph.Uses("AlignedGen.Decoding").Keys);   // the reader sees real edges
        var cycles = graph.Cycles();
        Assert.True(cycles.Count == 0,
            "Namespaces of the core use each other (move the type that belongs below, or pass a narrower type):" + Environment.NewLine +
            string.Join(Environment.NewLine, cycles.Select(c => $"[{string.Join(", ", c)}]{Environment.NewLine}{graph.Describe(c)}")));
    }

    [Fact]
    public void DetectorFindsACycleThatOnlyMethodBodiesShow()
    {
        var graph = NamespaceGraph.Read(typeof(LayeringTests).Assembly.Location, "AlignedGen.Tests.Architecture.Fixtures");
        const string left = "AlignedGen.Tests.Architecture.Fixtures.Left", right = "AlignedGen.Tests.Architecture.Fixtures.Right",
            below = "AlignedGen.Tests.Architecture.Fixtures.Below";
        var cycle = Assert.Single(graph.Cycles());
        Assert.Equal(new[] { left, right }, cycle);
        // Left → Right exists only inside the lambda's closure type, nested in LeftUser.
        Assert.Equal(new[] { below, right }, graph.Uses(left).Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(new[] { below, left }, graph.Uses(right).Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Empty(graph.Uses(below));
    }

    [Fact]
    public void CoreAssemblyReferencesNoAdapterOrToolingAssembly()
    {
        using var stream = File.OpenRead(CorePath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var referenced = reader.AssemblyReferences.Select(h => reader.GetString(reader.GetAssemblyReference(h).Name)).ToArray();
        Assert.Contains("Microsoft.ML.OnnxRuntime", referenced);   // the list is real
        Assert.Empty(referenced.Intersect(ForbiddenAssemblies, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public void CoreProjectReferencesNoAdapterOrToolingPackage()
    {
        var project = XDocument.Load(Path.Combine(SharedFolder.RepositoryRoot, "src", "AlignedGen", "AlignedGen.csproj"));
        Assert.Empty(project.Descendants("ProjectReference"));
        var packages = project.Descendants("PackageReference").Select(p => (string)p.Attribute("Include")!).ToArray();
        Assert.Contains("Microsoft.ML.OnnxRuntime", packages);
        Assert.Empty(packages.Intersect(ForbiddenAssemblies.Append("PowerShellStandard.Library"), StringComparer.OrdinalIgnoreCase));
    }
}
