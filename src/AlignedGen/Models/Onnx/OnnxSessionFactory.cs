using Microsoft.ML.OnnxRuntime;

namespace AlignedGen.Models;

/// <summary>Creates ONNX Runtime sessions for a device, with the CUDA failure made explicit.</summary>
internal static class OnnxSessionFactory
{
    static OnnxSessionFactory()
    {
        // Telemetry off unless the user opted in explicitly.
        if (Environment.GetEnvironmentVariable("ORT_DISABLE_TELEMETRY") is null)
            Environment.SetEnvironmentVariable("ORT_DISABLE_TELEMETRY", "1");
    }

    /// <summary>
    /// Intra-op threads when <see cref="ExecutionOptions.IntraOpThreads"/> is 0: onnxruntime-genai's default, half the
    /// logical processors, 1 to 16. ONNX Runtime's own default (one per physical core) spins every core on each of a
    /// decoder's hundreds of small operators: on 2 cores it made batch-1 decoding 8 % slower when idle and 2× slower
    /// under load (docs/benchmarks.md, "Decode").
    /// </summary>
    internal static int DefaultIntraOpThreads => Math.Clamp(Environment.ProcessorCount / 2, 1, 16);

    /// <summary>Creates a session; <paramref name="report"/> receives a line describing where it runs.</summary>
    public static InferenceSession Create(string modelPath, ExecutionOptions execution, out string report)
    {
        if (!File.Exists(modelPath))
            throw new ModelFolderException(modelPath, "the ONNX file does not exist.", "check the folder holds model.onnx (and model.onnx.data for external weights).");
        return Create(options => new InferenceSession(modelPath, options), modelPath, execution, out report);
    }

    /// <summary>Creates a session from ONNX bytes (e.g. an embedded resource); <paramref name="source"/> names it in errors.</summary>
    public static InferenceSession Create(byte[] model, string source, ExecutionOptions execution, out string report)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Create(options => new InferenceSession(model, options), source, execution, out report);
    }

    private static InferenceSession Create(Func<SessionOptions, InferenceSession> open, string modelPath, ExecutionOptions execution, out string report)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            IntraOpNumThreads = execution.IntraOpThreads > 0 ? execution.IntraOpThreads : DefaultIntraOpThreads,
        };
        report = "CPU";
        if (execution.Device == ExecutionDevice.Cuda)
        {
            try
            {
                options.AppendExecutionProvider_CUDA(execution.DeviceId);
                report = $"CUDA device {execution.DeviceId}";
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException or TypeInitializationException)
            {
                if (!execution.AllowCpuFallback)
                {
                    options.Dispose();
                    throw new InvalidOperationException(
                        $"CUDA execution provider could not be loaded for device {execution.DeviceId} ({ex.Message}). " +
                        "Fix: build with -p:AlignedGenFlavour=Gpu (Microsoft.ML.OnnxRuntime.Gpu.Linux) on a machine with CUDA 13 libraries, " +
                        "or choose the CPU device, or allow CPU fallback explicitly.", ex);
                }
                report = $"CPU (fallback: CUDA device {execution.DeviceId} unavailable: {FirstLine(ex.Message)})";
            }
        }
        try
        {
            return open(options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new ModelFolderException(modelPath, $"ONNX Runtime could not load the model ({FirstLine(ex.Message)}).",
                "check the file is a complete ONNX model (external data next to it) exported with standard or ONNX Runtime contrib ops.", ex);
        }
        finally
        {
            options.Dispose();
        }
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
