using System.Runtime.InteropServices;

namespace AlignedGen.Models;

/// <summary>
/// Says why ONNX Runtime's CUDA execution provider could not be used, in words a user can act on. ONNX Runtime's own
/// exception only says "Failed to load shared library"; the missing CUDA library is in the loader's error, which a
/// load of the provider library here reproduces (harmlessly: it fails the same way, or succeeds and is shared).
/// </summary>
internal static class CudaProbe
{
    internal const string ProviderLibrary = "libonnxruntime_providers_cuda.so";

    /// <summary>The first line of <paramref name="failure"/>, made specific where the provider library is the cause.</summary>
    public static string Diagnose(Exception failure)
    {
        var message = FirstLine(failure.Message);
#if !ALIGNEDGEN_GPU
        return $"this is the CPU flavour of AlignedGen, whose ONNX Runtime has no CUDA execution provider ({message}).";
#else
        var folder = OnnxRuntimeGuard.NativeLibraryPath is { } native ? Path.GetDirectoryName(native) : null;
        if (folder is null) return message;
        var provider = Path.Combine(folder, ProviderLibrary);
        if (!File.Exists(provider))
            return $"{ProviderLibrary} is not next to {OnnxRuntimeGuard.NativeLibraryPath} ({message}).";
        try
        {
            NativeLibrary.Load(provider);
        }
        catch (DllNotFoundException ex)
        {
            // .NET's message carries dlerror(): "...: libcublasLt.so.13: cannot open shared object file: ...".
            var missing = ex.Message.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("cannot open shared object file", StringComparison.Ordinal));
            if (missing is not null)
            {
                if (missing.StartsWith(provider + ":", StringComparison.Ordinal)) missing = missing[(provider.Length + 1)..].Trim();
                return $"{ProviderLibrary} cannot be loaded: {missing}.";
            }
            return $"{ProviderLibrary} cannot be loaded ({FirstLine(ex.Message)}).";
        }
        return message;
#endif
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
