using System.Runtime.InteropServices;

namespace AlignedGen.Models;

/// <summary>
/// Free and total memory of a CUDA device, read through NVML (libnvidia-ml.so.1, installed with the NVIDIA driver): no
/// CUDA context is created and no CUDA toolkit is needed. For memory budgets on <see cref="ExecutionDevice.Cuda"/>.
/// Unmeasured: no GPU was available where this was written; on a machine without the driver it reports why not.
/// </summary>
public static class CudaDeviceMemory
{
    private const string Nvml = "libnvidia-ml.so.1";
    private static readonly object Lock = new();
    private static bool _initialised;

    /// <summary>Free and total bytes of device <paramref name="deviceId"/>, or null with <paramref name="reason"/> saying why not.</summary>
    public static (long FreeBytes, long TotalBytes)? TryRead(int deviceId, out string? reason)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deviceId);
        reason = null;
        try
        {
            lock (Lock)
            {
                if (!_initialised)
                {
                    var init = nvmlInit_v2();
                    if (init != 0) { reason = $"nvmlInit_v2 returned {init}"; return null; }
                    _initialised = true;
                }
                var status = nvmlDeviceGetHandleByIndex_v2((uint)deviceId, out var device);
                if (status != 0) { reason = $"no CUDA device {deviceId} (nvmlDeviceGetHandleByIndex_v2 returned {status})"; return null; }
                status = nvmlDeviceGetMemoryInfo(device, out var memory);
                if (status != 0) { reason = $"nvmlDeviceGetMemoryInfo returned {status}"; return null; }
                return ((long)memory.Free, (long)memory.Total);
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            reason = $"{Nvml} cannot be loaded (no NVIDIA driver on this machine): {ex.Message.Split('\n')[0].Trim()}";
            return null;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct NvmlMemory
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    [DllImport(Nvml)]
    private static extern int nvmlInit_v2();

    [DllImport(Nvml)]
    private static extern int nvmlDeviceGetHandleByIndex_v2(uint index, out IntPtr device);

    [DllImport(Nvml)]
    private static extern int nvmlDeviceGetMemoryInfo(IntPtr device, out NvmlMemory memory);
}
