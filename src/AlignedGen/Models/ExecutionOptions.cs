namespace AlignedGen.Models;

/// <summary>How a model's ONNX session runs. Validated on creation.</summary>
public sealed record ExecutionOptions
{
    public ExecutionOptions(ExecutionDevice device = ExecutionDevice.Cpu, int deviceId = 0, bool allowCpuFallback = false, int intraOpThreads = 0)
    {
        if (!Enum.IsDefined(device))
            throw new ArgumentOutOfRangeException(nameof(device), device, $"Unknown execution device {device}. Use Cpu or Cuda.");
        if (deviceId < 0)
            throw new ArgumentOutOfRangeException(nameof(deviceId), deviceId, $"Device id must be 0 or more, got {deviceId}. Use the CUDA ordinal of the GPU (0 for the first).");
        if (intraOpThreads < 0)
            throw new ArgumentOutOfRangeException(nameof(intraOpThreads), intraOpThreads, $"Intra-op threads must be 0 (the default: one per physical core for models of 32 MiB of weights or more, else one) or more, got {intraOpThreads}.");
        Device = device;
        DeviceId = deviceId;
        AllowCpuFallback = allowCpuFallback;
        IntraOpThreads = intraOpThreads;
    }

    /// <summary>CPU (default) or CUDA.</summary>
    public ExecutionDevice Device { get; }

    /// <summary>CUDA device ordinal.</summary>
    public int DeviceId { get; }

    /// <summary>
    /// When CUDA cannot be loaded: false (default) throws a clear error; true runs on CPU and reports it through
    /// <see cref="OnnxCausalLanguageModel.ExecutionReport"/> — never silently.
    /// </summary>
    public bool AllowCpuFallback { get; }

    /// <summary>
    /// Threads for one operator; 0 (default) picks by the model's size: one per physical core this process may use (at
    /// most <see cref="AlignedGenDefaults.MaxDefaultIntraOpThreads"/>) when its weights reach
    /// <see cref="AlignedGenDefaults.WeightBoundModelBytes"/>, else one (<see cref="IntraOpThreadPolicy"/>).
    /// </summary>
    public int IntraOpThreads { get; }

    /// <summary>CPU, default threading.</summary>
    public static ExecutionOptions Default { get; } = new();

    /// <summary>
    /// Reads a device as the command line writes it: <c>cpu</c>, <c>cuda</c> (device 0) or <c>cuda:N</c>
    /// (case-insensitive). Throws <see cref="ArgumentException"/> (parameter <paramref name="device"/>) naming the value and the accepted forms.
    /// </summary>
    public static ExecutionOptions Parse(string device, bool allowCpuFallback = false, int intraOpThreads = 0)
    {
        ArgumentNullException.ThrowIfNull(device);
        var spec = device.Trim().ToLowerInvariant();
        if (spec == "cpu") return new ExecutionOptions(ExecutionDevice.Cpu, 0, allowCpuFallback, intraOpThreads);
        if (spec == "cuda") return new ExecutionOptions(ExecutionDevice.Cuda, 0, allowCpuFallback, intraOpThreads);
        if (spec.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(spec.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
            return new ExecutionOptions(ExecutionDevice.Cuda, id, allowCpuFallback, intraOpThreads);
        throw new ArgumentException($"Device '{device}' is not one of cpu, cuda, cuda:N (N = the CUDA ordinal, 0 for the first GPU).", nameof(device));
    }

    /// <summary>"cpu" or "cuda:N": the form <see cref="Parse"/> reads.</summary>
    public override string ToString() => Device == ExecutionDevice.Cpu ? "cpu" : $"cuda:{DeviceId}";
}
