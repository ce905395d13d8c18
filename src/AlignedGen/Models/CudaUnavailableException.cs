namespace AlignedGen.Models;

/// <summary>
/// A model was asked to run on CUDA (<see cref="ExecutionDevice.Cuda"/>) and ONNX Runtime's CUDA execution provider
/// could not be used: a CPU-flavour build, missing CUDA / cuDNN libraries, no such device. Not thrown when
/// <see cref="ExecutionOptions.AllowCpuFallback"/> is set; the model then runs on the CPU and says so.
/// </summary>
public sealed class CudaUnavailableException : InvalidOperationException
{
    public CudaUnavailableException(int deviceId, string reason, string fix, Exception? inner = null)
        : base($"CUDA device {deviceId} is unavailable: {reason} Fix: {fix}", inner)
    {
        DeviceId = deviceId;
        Reason = reason;
        Fix = fix;
    }

    /// <summary>The CUDA ordinal that was asked for.</summary>
    public int DeviceId { get; }

    /// <summary>Why CUDA could not be used (ONNX Runtime's first line of error).</summary>
    public string Reason { get; }

    public string Fix { get; }
}
