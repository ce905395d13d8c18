using AlignedGen.Models;
using Xunit;

namespace AlignedGen.Tests.Execution;

public sealed class IntraOpThreadPolicyTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("aligngen-cpus-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Writes a sysfs-like cpu folder: each entry is (cpu, package, core).</summary>
    private string FakeSysfs(string online, params (int Cpu, int Package, int Core)[] cpus)
    {
        File.WriteAllText(Path.Combine(_root, "online"), online + "\n");
        foreach (var (cpu, package, core) in cpus)
        {
            var topology = Directory.CreateDirectory(Path.Combine(_root, $"cpu{cpu}", "topology")).FullName;
            File.WriteAllText(Path.Combine(topology, "physical_package_id"), $"{package}\n");
            File.WriteAllText(Path.Combine(topology, "core_id"), $"{core}\n");
        }
        return _root;
    }

    [Fact]
    public void HyperThreadSiblingsCountAsOneCoreAndPackagesKeepEqualCoreIdsApart()
    {
        // 2 packages x 2 cores x 2 threads: cpu n and n+4 are siblings; core ids repeat across packages.
        var root = FakeSysfs("0-7", (0, 0, 0), (1, 0, 1), (2, 1, 0), (3, 1, 1), (4, 0, 0), (5, 0, 1), (6, 1, 0), (7, 1, 1));
        Assert.Equal(4, IntraOpThreadPolicy.CountLinuxCores(root));
    }

    [Fact]
    public void OfflineCpusAreNotCounted()
    {
        var root = FakeSysfs("0,2", (0, 0, 0), (1, 0, 1), (2, 0, 2), (3, 0, 3));
        Assert.Equal(2, IntraOpThreadPolicy.CountLinuxCores(root));
    }

    [Fact]
    public void AMissingTopologyFileGivesNoAnswerRatherThanAWrongOne()
    {
        var root = FakeSysfs("0-1", (0, 0, 0));   // cpu1 listed online but has no topology
        Assert.Null(IntraOpThreadPolicy.CountLinuxCores(root));
        Assert.Null(IntraOpThreadPolicy.CountLinuxCores(Path.Combine(_root, "absent")));
    }

    [Theory]
    [InlineData("0", new[] { 0 })]
    [InlineData("0-3", new[] { 0, 1, 2, 3 })]
    [InlineData("0-1,4,6-7\n", new[] { 0, 1, 4, 6, 7 })]
    public void CpuListsReadAsTheKernelWritesThem(string text, int[] expected) =>
        Assert.Equal(expected, IntraOpThreadPolicy.ParseCpuList(text));

    [Fact]
    public void ABackwardRangeIsAFormatError() =>
        Assert.Throws<FormatException>(() => IntraOpThreadPolicy.ParseCpuList("3-1"));

    [Theory]
    [InlineData(1L << 20, 8, 1)]             // stories260K-sized: one thread whatever the cores
    [InlineData((32L << 20) - 1, 8, 1)]
    [InlineData(32L << 20, 8, 8)]            // weight-bound from 32 MiB: one per core
    [InlineData(540L << 20, 2, 2)]           // smollm2-135m fp32 on this project's 2-core machine
    [InlineData(16L << 30, 64, 16)]          // capped
    [InlineData(16L << 30, 0, 1)]            // never below one
    public void SmallModelsGetOneThreadAndWeightBoundOnesOnePerCore(long weightBytes, int cores, int expected) =>
        Assert.Equal(expected, IntraOpThreadPolicy.For(weightBytes, cores));

    [Fact]
    public void PhysicalCoresNeverExceedTheProcessorsThisProcessMayUse()
    {
        int cores = IntraOpThreadPolicy.PhysicalCores();
        Assert.InRange(cores, 1, Environment.ProcessorCount);
    }

    [Fact]
    public void WeightBytesCountExternalDataBesideTheGraphButNotOtherFiles()
    {
        var model = Path.Combine(_root, "model.onnx");
        File.WriteAllBytes(model, new byte[100]);
        File.WriteAllBytes(model + ".data", new byte[1000]);
        File.WriteAllBytes(Path.Combine(_root, "model.onnx_data"), new byte[10]);
        File.WriteAllBytes(Path.Combine(_root, "tokenizer.json"), new byte[5000]);
        File.WriteAllBytes(Path.Combine(_root, "other.onnx"), new byte[7]);
        Assert.Equal(1110, IntraOpThreadPolicy.WeightBytes(model));
    }
}
