using System.Diagnostics;
using System.Reflection;
using AlignedGen.ModelBuilding;
using Xunit;
using TempFolder = AlignedGen.Tests.ModelBuilding.TempFolder;

namespace AlignedGen.Tests.Cli;

/// <summary>
/// The README's .NET tool steps on a fresh clone: `dotnet pack src/AlignedGen.Cli -c Release` writes
/// artifacts/aligngen.*.nupkg, `dotnet tool install --tool-path DIR --add-source ./artifacts aligngen` installs it,
/// and the installed `aligngen` runs a model (so ONNX Runtime's native library travelled in the package).
/// </summary>
public class ToolPackageTests
{
    [SkippableFact]
    public void A_fresh_clone_packs_the_tool_and_the_installed_aligngen_runs_a_model()
    {
        var git = CliProcess.Which("git");
        Skip.If(git is null, "git is not installed, so there is no clone to pack from");
        var root = SharedFolder.RepositoryRoot;
        var head = Run(git!, root, TimeSpan.FromMinutes(1), "rev-parse", "HEAD");
        Skip.If(head.Code != 0, $"{root} is not a git checkout ({head.Error.Trim()})");
        using var temp = new TempFolder();
        var clone = temp.Sub("clone");
        Assert.Equal(0, Run(git!, temp.Path, TimeSpan.FromMinutes(2), "clone", "--quiet", "--no-checkout", root, clone).Code);
        Assert.Equal(0, Run(git!, clone, TimeSpan.FromMinutes(2), "checkout", "--quiet", head.Out.Trim()).Code);

        var pack = Run(CliProcess.Dotnet, clone, TimeSpan.FromMinutes(20), "pack", "src/AlignedGen.Cli", "-c", "Release", "--nologo");
        Assert.True(pack.Code == 0, pack.ToString());
        var package = Assert.Single(Directory.GetFiles(Path.Combine(clone, "artifacts"), "aligngen.*.nupkg"));

        var tools = temp.Sub("tools");
        var install = Run(CliProcess.Dotnet, clone, TimeSpan.FromMinutes(5), "tool", "install", "--tool-path", tools, "--add-source", "./artifacts", "aligngen");
        Assert.True(install.Code == 0, install.ToString());
        var aligngen = Path.Combine(tools, "aligngen");

        var version = Run(aligngen, temp.Path, TimeSpan.FromMinutes(1), "--version");
        Assert.True(version.Code == 0, version.ToString());
        var expected = typeof(AlignedGen.Cli.CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
        Assert.StartsWith(expected + "+", version.Out.Trim());
        Assert.Contains(expected, Path.GetFileName(package));

        // Opening a model runs ONNX Runtime's native library from the installed package.
        var info = Run(aligngen, temp.Path, TimeSpan.FromMinutes(2), "info", DefaultModels.EnsureDemoModel());
        Assert.True(info.Code == 0, info.ToString());
        Assert.Contains("causal language model with KV cache", info.Out);
        Assert.Contains("note: runs on CPU", info.Out);
    }

    private static Cli.Result Run(string program, string directory, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["ORT_DISABLE_TELEMETRY"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(" ", args)} did not finish in {timeout}");
        }
        return new Cli.Result(process.ExitCode, stdout.Result, stderr.Result);
    }
}
