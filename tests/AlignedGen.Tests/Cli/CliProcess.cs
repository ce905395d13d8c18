using System.Diagnostics;
using Xunit;

namespace AlignedGen.Tests.Cli;

/// <summary>Starts the real `aligngen` (the CLI project's dll, copied beside the tests) as a child process.</summary>
internal static class CliProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "aligngen.dll");

    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static ProcessStartInfo StartInfo(params string[] args)
    {
        Assert.True(File.Exists(Dll), $"{Dll} is missing: build tests/AlignedGen.Tests (it references the CLI project).");
        var start = new ProcessStartInfo(Dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(Dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["ORT_DISABLE_TELEMETRY"] = "1";
        return start;
    }

    /// <summary>Runs to the end; stdout and stderr read concurrently.</summary>
    public static Cli.Result Run(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("aligngen did not finish in 5 minutes: " + string.Join(" ", args));
        }
        return new Cli.Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The path of a program on PATH, or null.</summary>
    public static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
