namespace AlignedGen.Models;

/// <summary>
/// The ONNX Runtime native library this process would load does not match the managed Microsoft.ML.OnnxRuntime
/// assembly (another version, no ONNX Runtime at all, or one without the API version the managed code asks for).
/// Thrown before ONNX Runtime's own static initialisation runs, instead of its TypeInitializationException. The
/// message names both versions, the library's folder and the fix.
/// </summary>
public sealed class OnnxRuntimeMismatchException : InvalidOperationException
{
    public OnnxRuntimeMismatchException(string managedVersion, string? nativeVersion, string? nativeLibraryPath, string problem, string fix, Exception? inner = null)
        : base($"ONNX Runtime mismatch: {problem} Fix: {fix}", inner)
    {
        ManagedVersion = managedVersion;
        NativeVersion = nativeVersion;
        NativeLibraryPath = nativeLibraryPath;
        Problem = problem;
        Fix = fix;
    }

    /// <summary>The version of the managed Microsoft.ML.OnnxRuntime assembly (e.g. "1.32.0").</summary>
    public string ManagedVersion { get; }

    /// <summary>The native library's own version string; null when no library could be loaded.</summary>
    public string? NativeVersion { get; }

    /// <summary>The file the native library was loaded from; null when unknown or not loaded.</summary>
    public string? NativeLibraryPath { get; }

    public string Problem { get; }
    public string Fix { get; }
}
