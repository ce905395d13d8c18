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

    /// <summary>Creates a session; <paramref name="report"/> receives a line describing where it runs.</summary>
    public static InferenceSession Create(string modelPath, ExecutionOptions execution, out string report)
    {
        if (!File.Exists(modelPath))
            throw new ModelFolderException(modelPath, "the ONNX file does not exist.", "check the folder holds model.onnx (and model.onnx.data for external weights).");
        return Create(options => new InferenceSession(modelPath, options), modelPath, IntraOpThreadPolicy.WeightBytes(modelPath), execution, out report);
    }

    /// <summary>Creates a session from ONNX bytes (e.g. an embedded resource); <paramref name="source"/> names it in errors.</summary>
    public static InferenceSession Create(byte[] model, string source, ExecutionOptions execution, out string report)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Create(options => new InferenceSession(model, options), source, model.LongLength, execution, out report);
    }

    private static InferenceSession Create(Func<SessionOptions, InferenceSession> open, string modelPath, long weightBytes, ExecutionOptions execution, out string report)
    {
        // Before the first SessionOptions: that runs ONNX Runtime's static initialisation, which a mismatched native
        // library turns into a TypeInitializationException.
        OnnxRuntimeGuard.EnsureCompatible();
        EnsureQuietEnvironment();
        var options = NewOptions(execution, weightBytes);
        report = "CPU";
        if (execution.Device == ExecutionDevice.Cuda)
        {
            try
            {
                options.AppendExecutionProvider_CUDA(execution.DeviceId);
                report = $"CUDA device {execution.DeviceId}";
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                options.Dispose();
                report = CpuFallbackOrThrow(execution, ex);
                options = NewOptions(execution, weightBytes);
            }
        }
        try
        {
            return open(options);
        }
        catch (OnnxRuntimeException ex) when (report.StartsWith("CUDA", StringComparison.Ordinal) && MentionsCuda(ex))
        {
            // The provider loaded but the device did not (no driver, no such ordinal, out of memory at load).
            options.Dispose();
            report = CpuFallbackOrThrow(execution, ex);
            options = NewOptions(execution, weightBytes);
            return Open(open, options, modelPath);
        }
        catch (OnnxRuntimeException ex)
        {
            throw LoadFailure(modelPath, ex);
        }
        finally
        {
            options.Dispose();
        }
    }

    private static readonly object EnvironmentLock = new();

    /// <summary>
    /// Creates ONNX Runtime's process-wide environment with fatal-only logging, unless the host created one already:
    /// every failure we care about comes back as an exception that we explain, and the default logger would print the
    /// same failure to stderr first (e.g. a CUDA provider that cannot load).
    /// </summary>
    private static void EnsureQuietEnvironment()
    {
        lock (EnvironmentLock)
        {
            if (OrtEnv.IsCreated) return;
            var options = new EnvironmentCreationOptions { logId = "AlignedGen", logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            OrtEnv.CreateInstanceWithOptions(ref options);
        }
    }

    private static SessionOptions NewOptions(ExecutionOptions execution, long weightBytes) => new()
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        IntraOpNumThreads = execution.IntraOpThreads > 0 ? execution.IntraOpThreads : IntraOpThreadPolicy.For(weightBytes),
    };

    private static InferenceSession Open(Func<SessionOptions, InferenceSession> open, SessionOptions options, string modelPath)
    {
        try
        {
            return open(options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw LoadFailure(modelPath, ex);
        }
    }

    /// <summary>The report of a CPU fallback when <see cref="ExecutionOptions.AllowCpuFallback"/> is set; otherwise throws <see cref="CudaUnavailableException"/>.</summary>
    private static string CpuFallbackOrThrow(ExecutionOptions execution, Exception ex)
    {
        var reason = CudaProbe.Diagnose(ex);
        if (!execution.AllowCpuFallback)
            throw new CudaUnavailableException(execution.DeviceId, reason, CudaFix, ex);
        return $"CPU (fallback: CUDA device {execution.DeviceId} unavailable: {reason})";
    }

#if ALIGNEDGEN_GPU
    private const string CudaFix = "install the CUDA and cuDNN libraries this ONNX Runtime GPU build needs (see docs/gpu.md) and check the device id, "
        + "or run on the CPU (device cpu), or allow CPU fallback explicitly.";
#else
    private const string CudaFix = "this is the CPU flavour: build with -p:AlignedGenFlavour=Gpu (Microsoft.ML.OnnxRuntime.Gpu.Linux) on a machine with CUDA, "
        + "or run on the CPU (device cpu), or allow CPU fallback explicitly.";
#endif

    private static bool MentionsCuda(Exception ex) => ex.Message.Contains("CUDA", StringComparison.OrdinalIgnoreCase)
        || ex.Message.Contains("cudnn", StringComparison.OrdinalIgnoreCase) || ex.Message.Contains("cublas", StringComparison.OrdinalIgnoreCase);

    private static ModelFolderException LoadFailure(string modelPath, OnnxRuntimeException ex)
        => new(modelPath, $"ONNX Runtime could not load the model ({FirstLine(ex.Message)}).",
            "check the file is a complete ONNX model (external data next to it) exported with standard or ONNX Runtime contrib ops.", ex);

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
