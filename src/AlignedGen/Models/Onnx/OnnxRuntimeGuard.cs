using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace AlignedGen.Models;

/// <summary>
/// Checks, once per process and before anything runs ONNX Runtime's static initialisation, that the native
/// libonnxruntime this process loads is the version of the managed Microsoft.ML.OnnxRuntime assembly. A CPU library
/// of another version next to the GPU flavour's managed code otherwise surfaces as a TypeInitializationException
/// ("The requested API version [32] is not available") from deep inside the first session. Every session the core
/// opens passes here first; code that opens an <see cref="InferenceSession"/> itself calls <see cref="EnsureCompatible"/>.
/// </summary>
public static class OnnxRuntimeGuard
{
    private static readonly Lazy<Failure?> Outcome = new(Check, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>What the check found wrong: enough to build a fresh exception for every caller.</summary>
    internal sealed record Failure(string ManagedVersion, string? NativeVersion, string? LibraryPath, string Problem, string Fix);

    /// <summary>Throws <see cref="OnnxRuntimeMismatchException"/> when the native library does not match the managed one.</summary>
    public static void EnsureCompatible()
    {
        if (Outcome.Value is { } f)
            throw new OnnxRuntimeMismatchException(f.ManagedVersion, f.NativeVersion, f.LibraryPath, f.Problem, f.Fix);
    }

    /// <summary>The native library's file once <see cref="EnsureCompatible"/> has run (null before, or where unknown).</summary>
    public static string? NativeLibraryPath { get; private set; }

    /// <summary>The managed assembly's version, "major.minor.patch" (its informational version without the commit).</summary>
    public static string ManagedVersion
    {
        get
        {
            var assembly = typeof(InferenceSession).Assembly;
            var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            if (!string.IsNullOrEmpty(informational)) return informational.Split('+')[0];
            return assembly.GetName().Version?.ToString(3) ?? "unknown";
        }
    }

    /// <summary>
    /// The decision, apart from loading: null when <paramref name="nativeVersion"/> equals <paramref name="managedVersion"/>
    /// and the library provides the managed code's API version (ONNX Runtime's API version is its minor version).
    /// </summary>
    internal static Failure? Compare(string managedVersion, string nativeVersion, bool apiAvailable, string? libraryPath)
    {
        var where = libraryPath is null ? "the native library" : $"the native library {libraryPath}";
        var api = ApiVersion(managedVersion);
        if (!string.Equals(managedVersion, nativeVersion, StringComparison.Ordinal))
        {
            var apiNote = apiAvailable ? "" : $" and does not provide API version {api}";
            return new Failure(managedVersion, nativeVersion, libraryPath,
                $"the managed Microsoft.ML.OnnxRuntime is {managedVersion} but {where} is {nativeVersion}{apiNote}.", FixFor(managedVersion, libraryPath));
        }
        if (!apiAvailable)
        {
            return new Failure(managedVersion, nativeVersion, libraryPath,
                $"{where} ({nativeVersion}) does not provide API version {api}, which the managed Microsoft.ML.OnnxRuntime {managedVersion} asks for.",
                FixFor(managedVersion, libraryPath));
        }
        return null;
    }

    private static Failure? Check()
    {
        var managed = ManagedVersion;
        IntPtr library;
        try
        {
            library = LoadNativeLibrary();
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
        {
            return new Failure(managed, null, null,
                $"the managed Microsoft.ML.OnnxRuntime is {managed} but no native libonnxruntime could be loaded ({FirstLine(ex.Message)}).",
                FixFor(managed, null));
        }
        if (!NativeLibrary.TryGetExport(library, "OrtGetApiBase", out var getApiBase))
        {
            return new Failure(managed, null, null,
                $"the library loaded as 'onnxruntime' exports no OrtGetApiBase, so it is not ONNX Runtime.", FixFor(managed, null));
        }
        var path = MappedFile(getApiBase);
        NativeLibraryPath = path;
        var (native, apiAvailable) = ReadVersion(getApiBase, managed);
        if (native is null)
            return new Failure(managed, null, path, $"OrtGetApiBase of {path ?? "the native library"} returned nothing.", FixFor(managed, path));
        return Compare(managed, native, apiAvailable, path);
    }

    /// <summary>
    /// Loads libonnxruntime the way the managed assembly will: its own resolver prefers
    /// runtimes/&lt;rid&gt;/native next to the assembly, then .NET's probing (deps.json native paths, the app folder).
    /// A library already loaded from the same file is shared, so this adds no second copy.
    /// </summary>
    private static IntPtr LoadNativeLibrary()
    {
        var assembly = typeof(InferenceSession).Assembly;
        var folder = Path.GetDirectoryName(assembly.Location);
        if (!string.IsNullOrEmpty(folder))
        {
            var local = Path.Combine(folder, "runtimes", RuntimeInformation.RuntimeIdentifier, "native", "libonnxruntime.so");
            if (File.Exists(local) && NativeLibrary.TryLoad(local, out var handle)) return handle;
        }
        return NativeLibrary.Load("onnxruntime", assembly, null);
    }

    /// <summary>
    /// OrtGetApiBase()->GetVersionString(), and whether the library provides the API version the managed code asks for:
    /// GetApi is called only when the versions agree (an older library prints its own complaint to stderr when asked
    /// for a newer API); otherwise a library provides every API version up to its own.
    /// </summary>
    private static unsafe (string? Version, bool ApiAvailable) ReadVersion(IntPtr getApiBase, string managedVersion)
    {
        var apiBase = ((delegate* unmanaged<IntPtr>)getApiBase)();
        if (apiBase == IntPtr.Zero) return (null, false);
        // struct OrtApiBase { const OrtApi* (*GetApi)(uint32_t); const char* (*GetVersionString)(void); }
        var getApi = Marshal.ReadIntPtr(apiBase, 0);
        var getVersion = Marshal.ReadIntPtr(apiBase, IntPtr.Size);
        var version = Marshal.PtrToStringUTF8(((delegate* unmanaged<IntPtr>)getVersion)());
        if (version is null) return (null, false);
        var available = version == managedVersion
            ? ((delegate* unmanaged<uint, IntPtr>)getApi)(ApiVersion(managedVersion)) != IntPtr.Zero
            : NewerOrEqual(version, managedVersion);
        return (version, available);
    }

    /// <summary>The file mapped at <paramref name="address"/> in this process (from /proc/self/maps); null where unknown.</summary>
    internal static string? MappedFile(IntPtr address)
    {
        try
        {
            var target = (ulong)address.ToInt64();
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                // "start-end perms offset dev inode   path"
                var dash = line.IndexOf('-');
                var space = line.IndexOf(' ');
                if (dash <= 0 || space <= dash) continue;
                if (!ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start)
                    || !ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end))
                    continue;
                if (target < start || target >= end) continue;
                var slash = line.IndexOf('/');
                return slash >= 0 ? line[slash..].Trim() : null;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>ONNX Runtime's C API version is its minor version (1.32.0 asks for API 32).</summary>
    internal static uint ApiVersion(string version)
    {
        var parts = version.Split('.');
        return parts.Length > 1 && uint.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var minor) ? minor : 0;
    }

    private static bool NewerOrEqual(string a, string b)
        => Version.TryParse(a, out var va) && Version.TryParse(b, out var vb) && va >= vb;

    private static string FixFor(string managedVersion, string? libraryPath)
    {
        var folder = libraryPath is null ? "the application folder" : Path.GetDirectoryName(libraryPath);
#if ALIGNEDGEN_GPU
        const string package = "Microsoft.ML.OnnxRuntime.Gpu.Linux";
        const string flavour = "this is the GPU flavour (-p:AlignedGenFlavour=Gpu)";
#else
        const string package = "Microsoft.ML.OnnxRuntime";
        const string flavour = "this is the CPU flavour";
#endif
        return $"{folder} must hold the libonnxruntime.so of {package} {managedVersion} ({flavour}); rebuild into a clean output folder "
            + "with one flavour only (never CPU and GPU ONNX Runtime packages together), and take any other libonnxruntime.so "
            + "off LD_LIBRARY_PATH.";
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
