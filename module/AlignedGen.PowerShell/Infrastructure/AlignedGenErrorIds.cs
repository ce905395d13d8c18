namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>
/// The stable error ids of the module's ErrorRecords (the part of FullyQualifiedErrorId before the comma).
/// Scripts and Pester tests match on these (<c>Should -Throw -ErrorId AlignedGen.ModelFolder</c>); never rename one.
/// </summary>
public static class AlignedGenErrorIds
{
    /// <summary>A parameter or option value is invalid (ArgumentException family). Category InvalidArgument.</summary>
    public const string InvalidArgument = "AlignedGen.InvalidArgument";

    /// <summary>A model or tokenizer folder or file cannot be used (ModelFolderException). Category ObjectNotFound or OpenError.</summary>
    public const string ModelFolder = "AlignedGen.ModelFolder";

    /// <summary>A reward source returned a wrong score count or a non-finite score (RewardSourceException). Category InvalidResult.</summary>
    public const string RewardSource = "AlignedGen.RewardSource";

    /// <summary>The operation was cancelled (OperationCanceledException outside Ctrl+C). Category OperationStopped.</summary>
    public const string OperationStopped = "AlignedGen.OperationStopped";

    /// <summary>A line of a JSON Lines file is not valid JSON. Category InvalidData; the target is "file:line".</summary>
    public const string CorruptJsonLine = "AlignedGen.CorruptJsonLine";

    /// <summary>A file or folder does not exist (FileNotFoundException, DirectoryNotFoundException). Category ObjectNotFound.</summary>
    public const string FileNotFound = "AlignedGen.FileNotFound";

    /// <summary>The file system refused access (UnauthorizedAccessException). Category PermissionDenied.</summary>
    public const string PermissionDenied = "AlignedGen.PermissionDenied";

    /// <summary>Reading or writing a file failed (IOException). Category ResourceUnavailable.</summary>
    public const string IOError = "AlignedGen.IOError";

    /// <summary>ONNX Runtime failed while running a model (OnnxRuntimeException). Category InvalidOperation.</summary>
    public const string OnnxRuntime = "AlignedGen.OnnxRuntime";

    /// <summary>A model was asked to run on CUDA and CUDA cannot be used (CudaUnavailableException); not raised with -AllowCpuFallback. Category ResourceUnavailable; the target is "cuda:N".</summary>
    public const string CudaUnavailable = "AlignedGen.CudaUnavailable";

    /// <summary>The native ONNX Runtime library is not the managed one's version (OnnxRuntimeMismatchException). Category NotInstalled; the target is the library's path.</summary>
    public const string OnnxRuntimeMismatch = "AlignedGen.OnnxRuntimeMismatch";

    /// <summary>-Shard Auto found no scheduler task in the environment, or an index outside the count (ShardEnvironmentException). Category InvalidArgument.</summary>
    public const string ShardEnvironment = "AlignedGen.ShardEnvironment";

    /// <summary>Any other exception: a bug to report. Category NotSpecified.</summary>
    public const string Unexpected = "AlignedGen.Unexpected";

    /// <summary>
    /// One prompt could not be generated (empty or whitespace, longer than the model's context, a reward that failed on
    /// its response); the other prompts go on (unless -FailFast). One non-terminating error per failed prompt; category
    /// InvalidData; the target is the prompt's id (or its position when it has none).
    /// </summary>
    public const string PromptFailed = "AlignedGen.PromptFailed";

    /// <summary>A decoding strategy that needs a reward (Args, BestOfN, DARWIN) was given no -RewardModel. Category InvalidArgument.</summary>
    public const string RewardModelRequired = "AlignedGen.RewardModelRequired";

    /// <summary>New-CompositeReward got a different number of -Weight values than -Reward sources. Category InvalidArgument.</summary>
    public const string WeightCountMismatch = "AlignedGen.WeightCountMismatch";

    /// <summary>A data file (JSONL, CSV, Parquet) cannot be read or written as asked (DataFileException). Category InvalidData; ErrorDetails.RecommendedAction holds the fix.</summary>
    public const string DataFile = "AlignedGen.DataFile";

    /// <summary>
    /// A job cannot resume its output: another job wrote it (other reward, columns, options, shard) or input rows it already
    /// processed were edited (JobMismatchException). Category InvalidData; RecommendedAction names -Force and a new -OutputPath.
    /// </summary>
    public const string JobMismatch = "AlignedGen.JobMismatch";

    /// <summary>An output file exists and neither -Resume nor -Force was given. Category ResourceExists.</summary>
    public const string OutputExists = "AlignedGen.OutputExists";

    /// <summary>A folder given as a comparison result holds no comparison.json (Export-AlignmentReport -Path). Category InvalidArgument.</summary>
    public const string NotAComparison = "AlignedGen.NotAComparison";

    /// <summary>An output folder or file cannot be created or written (report, comparison folder). Category WriteError; RecommendedAction holds the fix.</summary>
    public const string OutputNotWritable = "AlignedGen.OutputNotWritable";

    /// <summary>
    /// A model could not be brought from the Hugging Face Hub (HubException): unknown repository or revision
    /// (ObjectNotFound), gated or private without a token (PermissionDenied; the fix says how to set HF_TOKEN), no ONNX
    /// export or no variant chosen (InvalidArgument), offline or unreachable with nothing cached (ConnectionError), a
    /// damaged transfer (InvalidResult), a full disk (WriteError). ErrorDetails.RecommendedAction holds the fix.
    /// </summary>
    public const string Hub = "AlignedGen.Hub";
}
