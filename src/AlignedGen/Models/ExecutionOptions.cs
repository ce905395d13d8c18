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
            throw new ArgumentOutOfRangeException(nameof(intraOpThreads), intraOpThreads, $"Intra-op threads must be 0 (the default: half the logical processors, 1 to 16, like onnxruntime-genai) or more, got {intraOpThreads}.");
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

    /// <summary>Threads for one operator; 0 (default) uses half the logical processors, 1 to 16 (onnxruntime-genai's default).</summary>
    public int IntraOpThreads { get; }

    /// <summary>CPU, default threading.</summary>
    public static ExecutionOptions Default { get; } = new();
}
