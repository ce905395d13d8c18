using AlignedGen.Jobs;
using System.CommandLine;
using System.Diagnostics;
using AlignedGen.Cli;
using AlignedGen.Jobs;
using AlignedGen.Relabeling;
using AlignedGen.Tests.Cli;
using Xunit;
using TempFolder = AlignedGen.Tests.ModelBuilding.TempFolder;

namespace AlignedGen.Tests.ScaleOut;

/// <summary>
/// examples/deploy/kubernetes: the manifests parse, their Indexed Jobs give aligngen the command, index and count it
/// expects, the Dockerfile builds the image they name, and the relabel Job's command run here once per index with
/// JOB_COMPLETION_INDEX set, merged by the merge Job's command, equals one process's output. No cluster is needed.
/// </summary>
[Collection(nameof(RunsAlone))]
public class KubernetesManifestTests
{
    public static TheoryData<string, string> IndexedJobs => new() { { "relabel-job.yaml", "relabel" }, { "relabel-job-gpu.yaml", "relabel" } };

    [Theory]
    [MemberData(nameof(IndexedJobs))]
    public void An_indexed_job_runs_one_pod_per_shard_with_the_count_aligngen_reads(string file, string command)
    {
        var job = KubernetesManifest.Load(file);
        Assert.Equal("Job", job.Kind);
        Assert.Equal("Indexed", job.SpecText("completionMode"));
        var shards = job.SpecNumber("completions");
        Assert.True(shards > 1);
        Assert.Equal(shards, job.SpecNumber("parallelism"));
        Assert.Equal(shards.ToString(), job.Env[SchedulerShard.CountVariable]);
        // A failed or preempted pod is retried for its own index (backoffLimitPerIndex needs restartPolicy Never).
        Assert.True(job.SpecNumber("backoffLimitPerIndex") >= 1);
        Assert.Equal("Never", (string)job.PodSpec["restartPolicy"]);

        Assert.Empty(job.Command); // the image's entrypoint, aligngen, runs the args
        Assert.Equal(command, job.Args[0]);
        Assert.Equal("auto", After(job.Args, "--shard"));
        Assert.Contains("--resume", job.Args);
        Assert.Contains("$(JOB_COMPLETION_INDEX)", After(job.Args, "--output"));
        Assert.All(new[] { After(job.Args, "--input"), After(job.Args, "--output") }, p => Assert.StartsWith(job.MountPaths.Single() + "/", p));
    }

    [Theory]
    [MemberData(nameof(IndexedJobs))]
    public void Every_pod_command_parses_as_aligngen_and_its_shard_is_its_index(string file, string command)
    {
        var job = KubernetesManifest.Load(file);
        var shards = job.SpecNumber("completions");
        using var scheduler = new SchedulerEnvironment();
        for (var index = 0; index < shards; index++)
        {
            scheduler.Set(("JOB_COMPLETION_INDEX", index), (SchedulerShard.CountVariable, job.Env[SchedulerShard.CountVariable]));
            var args = PodArgs(job, index);
            var parse = CliApp.Build(new CliContext(new CliConsole(TextWriter.Null, TextWriter.Null), CancellationToken.None)).Parse(args);
            Assert.True(parse.Errors.Count == 0, $"{file}, index {index}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
            Assert.Equal(command, parse.CommandResult.Command.Name);
            Assert.Equal(new ShardSpec(index, shards), ShardSpec.Parse(After(args, "--shard")));
            Assert.EndsWith($"-{index}.jsonl", After(args, "--output"));
        }
    }

    [Fact]
    public void Pods_ask_for_cpu_nodes_or_for_one_gpu_each()
    {
        var cpu = KubernetesManifest.Load("relabel-job.yaml");
        Assert.NotNull(cpu.Resource("requests", "cpu"));
        Assert.NotNull(cpu.Resource("requests", "memory"));
        Assert.Null(cpu.Resource("limits", "nvidia.com/gpu"));
        Assert.Equal("aligngen:cpu", cpu.Image);

        var gpu = KubernetesManifest.Load("relabel-job-gpu.yaml");
        Assert.Equal("1", gpu.Resource("limits", "nvidia.com/gpu"));
        Assert.Equal("cuda", After(gpu.Args, "--device")); // the device plugin shows each pod its one GPU as device 0
        Assert.Equal("aligngen:gpu", gpu.Image);
        Assert.Contains(((List<object>)gpu.PodSpec["tolerations"]).Cast<Dictionary<object, object>>(), t => (string)t["key"] == "nvidia.com/gpu");
    }

    [Fact]
    public void The_dockerfile_publishes_the_cli_with_onnx_runtime_onto_the_dotnet_runtime_image_for_both_flavours()
    {
        var lines = File.ReadAllLines(Path.Combine(KubernetesManifest.Folder, "Dockerfile"));
        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToDictionary(p => p[^1], p => p[1]);
        Assert.Equal("mcr.microsoft.com/dotnet/runtime:${DOTNET_VERSION}", stages["runtime"]);
        Assert.Equal("runtime", stages["cpu"]);
        Assert.Equal("cpu", lines.Last(l => l.StartsWith("FROM ", StringComparison.Ordinal)).Split(' ')[^1]); // the default target
        Assert.Contains("gpu", stages.Keys);
        var dotnet = lines.Single(l => l.StartsWith("ARG DOTNET_VERSION=", StringComparison.Ordinal)).Split('=')[1];
        Assert.StartsWith($"{Environment.Version.Major}.", dotnet + "."); // the runtime the CLI targets
        Assert.Equal(2, lines.Count(l => l.Trim() == "ENTRYPOINT [\"aligngen\"]"));
        var publishes = lines.Where(l => l.Contains("dotnet publish ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, publishes.Length);
        Assert.All(publishes, p => Assert.Contains("dotnet publish src/AlignedGen.Cli ", p));
        Assert.True(File.Exists(Path.Combine(SharedFolder.RepositoryRoot, "src", "AlignedGen.Cli", "AlignedGen.Cli.csproj")));
        Assert.Contains(publishes, p => p.Contains("-p:AlignedGenFlavour=Gpu", StringComparison.Ordinal));
        var text = string.Join("\n", lines);
        Assert.Contains("test -f /app/libonnxruntime.so", text);
        Assert.Contains("test -f /app/libonnxruntime_providers_cuda.so", text);
        Assert.Contains("**/bin/", File.ReadAllText(Path.Combine(KubernetesManifest.Folder, "Dockerfile.dockerignore")));
    }

    [SkippableFact]
    public void The_relabel_job_run_once_per_index_and_merged_by_the_merge_job_equals_one_process()
    {
        var samples = SharedFolder.Require("data", "story-samples.jsonl");
        var rewardModels = SharedFolder.Require("models");
        var sh = CliProcess.Which("sh");
        Skip.If(sh is null, "no sh to run the merge Job's command with");
        using var temp = new TempFolder();
        var data = temp.Sub("data");
        Directory.CreateDirectory(Path.Combine(data, "parts"));
        File.WriteAllLines(Path.Combine(data, "story-samples.jsonl"), File.ReadLines(samples).Take(40));
        Directory.CreateSymbolicLink(Path.Combine(data, "models"), rewardModels);

        var job = KubernetesManifest.Load("relabel-job.yaml");
        var mount = job.MountPaths.Single();
        string Local(string arg) => arg.Replace(mount + "/", data + "/", StringComparison.Ordinal);
        var shards = job.SpecNumber("completions");
        for (var index = 0; index < shards; index++)
        {
            var start = CliProcess.StartInfo(PodArgs(job, index).Select(Local).ToArray());
            foreach (var (name, value) in job.Env) start.Environment[name] = value;
            start.Environment["JOB_COMPLETION_INDEX"] = index.ToString();
            var pod = Run(start);
            Assert.True(pod.Code == 0, $"index {index}: {pod}");
        }

        var merge = KubernetesManifest.Load("merge-job.yaml");
        Assert.Equal(new[] { "/bin/sh", "-c" }, merge.Command);
        Assert.Equal(job.Env[SchedulerShard.CountVariable], merge.Env[SchedulerShard.CountVariable]);
        Assert.Equal(After(job.Args, "--input"), merge.Env["INPUT"]);
        Assert.Equal(After(job.Args, "--output").Replace("-$(JOB_COMPLETION_INDEX).jsonl", ""), merge.Env["PARTS"]);
        // The merge pod: its script through sh, with aligngen on PATH (a wrapper around the built CLI) and /data mapped here.
        var bin = temp.Sub("bin");
        Directory.CreateDirectory(bin);
        File.WriteAllText(Path.Combine(bin, "aligngen"), $"#!/bin/sh\nexec '{CliProcess.Dotnet}' exec '{CliProcess.Dll}' \"$@\"\n");
        File.SetUnixFileMode(Path.Combine(bin, "aligngen"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var script = new ProcessStartInfo(sh!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        script.ArgumentList.Add("-c");
        script.ArgumentList.Add(KubernetesExpansion.Expand(merge.Args.Single(), merge.Env));
        foreach (var (name, value) in merge.Env) script.Environment[name] = Local(value);
        script.Environment["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH");
        var merged = Run(script);
        Assert.True(merged.Code == 0, merged.ToString());
        Assert.Contains($"merged {shards} shards (40 rows)", merged.Out);

        // One process: the same command without --shard, into another file.
        var single = job.Args.Select(Local).ToList();
        single.RemoveRange(single.IndexOf("--shard"), 2);
        single[single.IndexOf("--output") + 1] = temp.Sub("single.jsonl");
        var whole = Run(CliProcess.StartInfo(single.ToArray()));
        Assert.True(whole.Code == 0, whole.ToString());
        Assert.Equal(File.ReadAllBytes(temp.Sub("single.jsonl")), File.ReadAllBytes(Local(merge.Env["OUTPUT"])));
    }

    /// <summary>The pod's args as the kubelet hands them to aligngen: $(VAR) expanded from the env and the pod's index.</summary>
    private static string[] PodArgs(KubernetesManifest job, int index)
    {
        var variables = new Dictionary<string, string>(job.Env) { ["JOB_COMPLETION_INDEX"] = index.ToString() };
        return job.Args.Select(a => KubernetesExpansion.Expand(a, variables)).ToArray();
    }

    private static string After(IReadOnlyList<string> args, string option)
    {
        var at = args.ToList().IndexOf(option);
        Assert.True(at >= 0 && at + 1 < args.Count, $"{option} is not in the args");
        return args[at + 1];
    }

    private static Cli.Cli.Result Run(ProcessStartInfo start)
    {
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), "the command did not finish in 5 minutes");
        return new Cli.Cli.Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
