using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using Microsoft.ML.OnnxRuntime;
using Xunit;
using Xunit.Abstractions;

namespace AlignedGen.Tests.Execution;

/// <summary>
/// The start-up check of the native ONNX Runtime against the managed one: the decision on its own, the library this
/// process really loaded, and a child process whose folder holds a deliberately older libonnxruntime.so.
/// </summary>
public class OnnxRuntimeGuardTests(ITestOutputHelper output)
{
    /// <summary>The older native library the mismatch test puts next to the CLI (the one issue 19 found in the GPU build).</summary>
    private const string OlderVersion = "1.20.1";

    [Fact]
    public void Same_version_with_its_api_passes()
        => Assert.Null(OnnxRuntimeGuard.Compare("1.32.0", "1.32.0", apiAvailable: true, "/x/libonnxruntime.so"));

    [Fact]
    public void An_older_library_names_both_versions_the_missing_api_and_the_folder()
    {
        var failure = OnnxRuntimeGuard.Compare("1.32.0", "1.20.1", apiAvailable: false, "/app/out/libonnxruntime.so");
        Assert.NotNull(failure);
        Assert.Contains("managed Microsoft.ML.OnnxRuntime is 1.32.0", failure.Problem);
        Assert.Contains("/app/out/libonnxruntime.so is 1.20.1", failure.Problem);
        Assert.Contains("does not provide API version 32", failure.Problem);
        Assert.StartsWith("/app/out must hold the libonnxruntime.so of Microsoft.ML.OnnxRuntime 1.32.0", failure.Fix);
    }

    [Fact]
    public void A_newer_library_is_a_mismatch_too_without_an_api_note()
    {
        var failure = OnnxRuntimeGuard.Compare("1.32.0", "1.33.1", apiAvailable: true, null);
        Assert.NotNull(failure);
        Assert.Contains("the native library is 1.33.1.", failure.Problem);
        Assert.DoesNotContain("API version", failure.Problem);
    }

    [Fact]
    public void The_same_version_without_the_api_is_refused()
    {
        var failure = OnnxRuntimeGuard.Compare("1.32.0", "1.32.0", apiAvailable: false, "/a/libonnxruntime.so");
        Assert.NotNull(failure);
        Assert.Contains("does not provide API version 32", failure.Problem);
    }

    [Fact]
    public void This_process_loads_the_library_next_to_it_and_passes()
    {
        OnnxRuntimeGuard.EnsureCompatible();
        var handle = NativeLibrary.Load("onnxruntime", typeof(InferenceSession).Assembly, null);
        var path = OnnxRuntimeGuard.MappedFile(NativeLibrary.GetExport(handle, "OrtGetApiBase"));
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "libonnxruntime.so"), path);
        Assert.Equal(typeof(InferenceSession).Assembly.GetName().Version!.ToString(3), OnnxRuntimeGuard.ManagedVersion);
    }

    [SkippableFact]
    public void A_child_process_with_an_older_native_library_stops_with_our_error_and_exit_code_2()
    {
        var older = Path.Combine(NuGetPackageRoot, "microsoft.ml.onnxruntime", OlderVersion, "runtimes", "linux-x64", "native", "libonnxruntime.so");
        Skip.If(!File.Exists(older), $"{older} is absent (the test project downloads it on restore; run build/setup.sh)");
        var folder = Directory.CreateTempSubdirectory("alignedgen-ort-mismatch-").FullName;
        try
        {
            // The CLI's files with the older library in place of libonnxruntime.so. The app itself is copied (the host
            // could resolve a linked app back to this folder); its dependencies are linked.
            foreach (var entry in new DirectoryInfo(AppContext.BaseDirectory).EnumerateFileSystemInfos())
            {
                var target = Path.Combine(folder, entry.Name);
                if (entry.Name == "libonnxruntime.so") File.Copy(older, target);
                else if (entry.Name.StartsWith("aligngen.", StringComparison.Ordinal)) File.Copy(entry.FullName, target);
                else File.CreateSymbolicLink(target, entry.FullName);
            }
            var (code, stdout, stderr) = Run(Path.Combine(folder, "aligngen.dll"),
                "generate", "--model", DefaultModels.EnsureDemoModel(), "--prompt", "the cat", "--strategy", "greedy", "--max-new-tokens", "2");
            output.WriteLine($"exit {code}\nstdout: {stdout}\nstderr: {stderr}");
            Assert.Equal(2, code);
            Assert.Contains("ONNX Runtime mismatch", stderr);
            Assert.Contains($"managed Microsoft.ML.OnnxRuntime is {OnnxRuntimeGuard.ManagedVersion}", stderr);
            Assert.Contains($"{Path.Combine(folder, "libonnxruntime.so")} is {OlderVersion}", stderr);
            Assert.Contains($"Fix: {folder} must hold the libonnxruntime.so of", stderr);
            Assert.DoesNotContain("TypeInitializationException", stderr);
            Assert.Equal("", stdout.Trim());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string NuGetPackageRoot => typeof(OnnxRuntimeGuardTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "NuGetPackageRoot").Value!;

    private static (int Code, string Stdout, string Stderr) Run(string dll, params string[] args)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var child = Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        if (!child.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            child.Kill(entireProcessTree: true);
            throw new TimeoutException("the child CLI did not exit within 2 minutes");
        }
        return (child.ExitCode, stdout.Result, stderr.Result);
    }
}
