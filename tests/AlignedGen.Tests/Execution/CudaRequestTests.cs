using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using Xunit;

namespace AlignedGen.Tests.Execution;

/// <summary>
/// Asking for CUDA where it cannot be used: a typed error by default, a reported CPU run only when asked. These tests
/// run in the CPU flavour (no CUDA provider in the build); build/gpu-flavour-check.sh runs the same requests from the
/// GPU flavour on a machine without CUDA.
/// </summary>
public class CudaRequestTests
{
    [Theory]
    [InlineData("cpu", ExecutionDevice.Cpu, 0)]
    [InlineData("CPU", ExecutionDevice.Cpu, 0)]
    [InlineData("cuda", ExecutionDevice.Cuda, 0)]
    [InlineData(" cuda:3 ", ExecutionDevice.Cuda, 3)]
    public void Device_specs_parse(string spec, ExecutionDevice device, int id)
    {
        var options = ExecutionOptions.Parse(spec);
        Assert.Equal(device, options.Device);
        Assert.Equal(id, options.DeviceId);
        Assert.Equal(options, ExecutionOptions.Parse(options.ToString()));
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    [InlineData("")]
    public void Bad_device_specs_name_the_value_and_the_forms(string spec)
    {
        var ex = Assert.Throws<ArgumentException>(() => ExecutionOptions.Parse(spec));
        Assert.Equal("device", ex.ParamName);
        Assert.Contains($"'{spec}'", ex.Message);
        Assert.Contains("cuda:N", ex.Message);
    }

    [SkippableFact]
    public void Cuda_without_fallback_is_a_typed_error_naming_the_device_and_the_fix()
    {
        Skip.If(CudaMayWork, "this machine has an NVIDIA driver; the no-CUDA path cannot be shown here");
        var folder = DefaultModels.EnsureDemoModel();
        var ex = Assert.Throws<CudaUnavailableException>(() => OnnxCausalLanguageModel.Load(folder, new ExecutionOptions(ExecutionDevice.Cuda, deviceId: 2)));
        Assert.Equal(2, ex.DeviceId);
        Assert.Contains("CUDA device 2 is unavailable", ex.Message);
        Assert.Contains("Fix:", ex.Message);
        Assert.Contains("AlignedGenFlavour=Gpu", ex.Fix);
        Assert.False(string.IsNullOrWhiteSpace(ex.Reason));
    }

    [SkippableFact]
    public void Cuda_with_fallback_runs_on_the_cpu_and_says_so_with_the_same_tokens()
    {
        Skip.If(CudaMayWork, "this machine has an NVIDIA driver; the no-CUDA path cannot be shown here");
        var folder = DefaultModels.EnsureDemoModel();
        using var cpu = OnnxCausalLanguageModel.Load(folder);
        using var fallback = OnnxCausalLanguageModel.Load(folder, ExecutionOptions.Parse("cuda:0", allowCpuFallback: true));
        Assert.Equal("CPU", cpu.ExecutionReport);
        Assert.StartsWith("CPU (fallback: CUDA device 0 unavailable: ", fallback.ExecutionReport);

        var requests = new[] { new GenerationRequest("the cat", "0"), new GenerationRequest("a dog ran", "1") };
        var options = new GenerationOptions(maxNewTokens: 8, batchSize: 2);
        var expected = new TextGenerator(cpu).Generate(requests, new SamplingStrategy(SamplingOptions.Greedy), options);
        var actual = new TextGenerator(fallback).Generate(requests, new SamplingStrategy(SamplingOptions.Greedy), options);
        Assert.Equal(expected.Select(r => r.TokenIds.ToArray()), actual.Select(r => r.TokenIds.ToArray()));
    }

    /// <summary>The NVIDIA driver's library is present: CUDA might load, so "unavailable" is not guaranteed.</summary>
    internal static bool CudaMayWork => File.Exists("/dev/nvidiactl") || new[] { "/usr/lib/x86_64-linux-gnu/libcuda.so.1", "/usr/lib64/libcuda.so.1" }.Any(File.Exists);
}

/// <summary>The device-memory reader for CUDA budgets: on a machine without the NVIDIA driver it says why, never throws.</summary>
public class CudaDeviceMemoryTests
{
    [SkippableFact]
    public void Without_a_driver_the_reading_is_null_with_the_reason()
    {
        Skip.If(CudaRequestTests.CudaMayWork, "this machine has an NVIDIA driver");
        Assert.Null(CudaDeviceMemory.TryRead(0, out var reason));
        Assert.Contains("libnvidia-ml.so.1 cannot be loaded", reason);
    }

    [Fact]
    public void A_negative_device_id_is_an_argument_error()
        => Assert.Throws<ArgumentOutOfRangeException>(() => CudaDeviceMemory.TryRead(-1, out _));
}
