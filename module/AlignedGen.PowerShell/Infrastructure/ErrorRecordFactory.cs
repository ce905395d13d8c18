using AlignedGen.Jobs;
using System.Management.Automation;
using System.Reflection;
using AlignedGen.Data;
using AlignedGen.Hub;
using AlignedGen.Models;
using AlignedGen.PowerShell.Json;
using AlignedGen.Relabeling;
using AlignedGen.Rewards;
using Microsoft.ML.OnnxRuntime;

namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>
/// Turns exceptions from the core library into ErrorRecords with stable error ids (<see cref="AlignedGenErrorIds"/>)
/// and categories. Cmdlets reach it through <see cref="AlignedGenCmdlet.WriteCoreError"/> and
/// <see cref="AlignedGenCmdlet.ThrowCoreError"/>; it is public so scripts and tests can check the mapping.
/// </summary>
public static class ErrorRecordFactory
{
    /// <summary>
    /// An ErrorRecord for <paramref name="exception"/>; the target defaults to the path, parameter or source the exception
    /// names. The message shown (ErrorDetails) is in the module's words: core phrases naming C# options become cmdlet
    /// parameters (<see cref="ModuleWording"/>) and .NET's "(Parameter 'x')" / "Actual value was" trailers are dropped.
    /// </summary>
    public static ErrorRecord FromException(Exception exception, object? target = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var inner = Unwrap(exception);
        var (errorId, category) = Classify(inner);
        return new ErrorRecord(inner, errorId, category, target ?? DefaultTarget(inner)) { ErrorDetails = Details(inner) };
    }

    /// <summary>
    /// An ErrorRecord for <paramref name="exception"/> with an id and category the cmdlet chose (e.g.
    /// <see cref="AlignedGenErrorIds.OutputNotWritable"/>) instead of the ones <see cref="Classify"/> would give; the
    /// ErrorDetails (RecommendedAction) and default target are kept.
    /// </summary>
    public static ErrorRecord WithId(Exception exception, string errorId, ErrorCategory category, object? target = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentException.ThrowIfNullOrEmpty(errorId);
        var general = FromException(exception, target);
        return new ErrorRecord(general.Exception, errorId, category, general.TargetObject) { ErrorDetails = general.ErrorDetails };
    }

    /// <summary>The error id and category for an exception, after unwrapping single-inner AggregateExceptions.</summary>
    public static (string ErrorId, ErrorCategory Category) Classify(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return Unwrap(exception) switch
        {
            ModelFolderException folder => (AlignedGenErrorIds.ModelFolder,
                File.Exists(folder.Path) || Directory.Exists(folder.Path) ? ErrorCategory.OpenError : ErrorCategory.ObjectNotFound),
            Jobs.JobMismatchException => (AlignedGenErrorIds.JobMismatch, ErrorCategory.InvalidData),
            DataFileException data when IsMissingFile(data) => (AlignedGenErrorIds.FileNotFound, ErrorCategory.ObjectNotFound),
            DataFileException => (AlignedGenErrorIds.DataFile, ErrorCategory.InvalidData),
            CudaUnavailableException => (AlignedGenErrorIds.CudaUnavailable, ErrorCategory.ResourceUnavailable),
            OnnxRuntimeMismatchException => (AlignedGenErrorIds.OnnxRuntimeMismatch, ErrorCategory.NotInstalled),
            HubException hub => (AlignedGenErrorIds.Hub, HubCategory(hub.Kind)),
            RewardSourceException => (AlignedGenErrorIds.RewardSource, ErrorCategory.InvalidResult),
            CorruptJsonLineException => (AlignedGenErrorIds.CorruptJsonLine, ErrorCategory.InvalidData),
            OperationCanceledException => (AlignedGenErrorIds.OperationStopped, ErrorCategory.OperationStopped),
            ShardEnvironmentException => (AlignedGenErrorIds.ShardEnvironment, ErrorCategory.InvalidArgument),
            ArgumentException => (AlignedGenErrorIds.InvalidArgument, ErrorCategory.InvalidArgument),
            FileNotFoundException or DirectoryNotFoundException => (AlignedGenErrorIds.FileNotFound, ErrorCategory.ObjectNotFound),
            UnauthorizedAccessException => (AlignedGenErrorIds.PermissionDenied, ErrorCategory.PermissionDenied),
            IOException => (AlignedGenErrorIds.IOError, ErrorCategory.ResourceUnavailable),
            OnnxRuntimeException => (AlignedGenErrorIds.OnnxRuntime, ErrorCategory.InvalidOperation),
            _ => (AlignedGenErrorIds.Unexpected, ErrorCategory.NotSpecified),
        };
    }

    /// <summary>Strips AggregateException (single inner) and TargetInvocationException wrappers.</summary>
    public static Exception Unwrap(Exception exception)
    {
        while (true)
        {
            switch (exception)
            {
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    exception = aggregate.InnerExceptions[0];
                    continue;
                case TargetInvocationException { InnerException: { } invoked }:
                    exception = invoked;
                    continue;
                default:
                    return exception;
            }
        }
    }

    /// <summary>The fix for a path that names no file: the module resolved it against the PowerShell location, not the process's directory.</summary>
    public const string MissingFileFix = "check the path; relative paths are resolved against the PowerShell location (Get-Location), and wildcards need -Path, not -LiteralPath.";

    private static bool IsMissingFile(DataFileException data) => data.InnerException is FileNotFoundException or DirectoryNotFoundException;

    private static ErrorDetails? Details(Exception exception)
    {
        var words = ModuleWording.Wording;
        switch (exception)
        {
            case ModelFolderException folder:
                return new ErrorDetails($"{folder.Path}: {words.Translate(folder.Problem)}") { RecommendedAction = words.Translate(folder.Fix) };
            case DataFileException data when IsMissingFile(data):
                return new ErrorDetails($"{data.Path}: {data.Problem} Fix: {MissingFileFix}") { RecommendedAction = MissingFileFix };
            case DataFileException data:
                return new ErrorDetails(words.Translate(data.Message)) { RecommendedAction = words.Translate(data.Fix) };
            case CudaUnavailableException cuda:
                return new ErrorDetails(cuda.Message)
                {
                    RecommendedAction = "Use -Device Cpu, or add -AllowCpuFallback to run on the CPU when CUDA cannot be used (the model's ExecutionReport then says so), "
                        + "or load the GPU flavour of the module on a machine with CUDA (docs/gpu.md).",
                };
            case ShardEnvironmentException shard:
                return new ErrorDetails(shard.Message) { RecommendedAction = shard.Fix };
            case OnnxRuntimeMismatchException mismatch:
                return new ErrorDetails(mismatch.Message) { RecommendedAction = mismatch.Fix };
            case HubException hub:
                return new ErrorDetails($"{hub.Reference}: {hub.Problem}") { RecommendedAction = hub.Fix };
            default:
                var message = words.MessageOf(exception);
                return message == exception.Message ? null : new ErrorDetails(message);
        }
    }

    private static ErrorCategory HubCategory(HubErrorKind kind) => kind switch
    {
        HubErrorKind.RepositoryNotFound or HubErrorKind.RevisionNotFound or HubErrorKind.FileNotFound => ErrorCategory.ObjectNotFound,
        HubErrorKind.AccessDenied => ErrorCategory.PermissionDenied,
        HubErrorKind.NoOnnxModel or HubErrorKind.VariantRequired => ErrorCategory.InvalidArgument,
        HubErrorKind.NotCached or HubErrorKind.Unreachable => ErrorCategory.ConnectionError,
        HubErrorKind.IntegrityCheckFailed => ErrorCategory.InvalidResult,
        HubErrorKind.DiskFull => ErrorCategory.WriteError,
        _ => ErrorCategory.NotSpecified,
    };

    private static object? DefaultTarget(Exception exception) => exception switch
    {
        ModelFolderException folder => folder.Path,
        HubException hub => hub.Reference,
        DataFileException data => data.LineNumber is { } line ? $"{data.Path}:{line}" : data.Path,
        CorruptJsonLineException line => line.Location,
        RewardSourceException reward => reward.SourceName,
        CudaUnavailableException cuda => $"cuda:{cuda.DeviceId}",
        OnnxRuntimeMismatchException mismatch => mismatch.NativeLibraryPath,
        ArgumentException argument => argument.ParamName,
        FileNotFoundException file => file.FileName,
        _ => null,
    };
}
