using AlignedGen.Data;

namespace AlignedGen.Jobs;

/// <summary>
/// What every resumable dataset job's options share (<c>RelabelOptions</c>, <c>GenerationJobOptions</c>): the input and
/// output files and formats, resume, sharding, skip mode, reader and writer details, durability. Each property is checked
/// when set (the error names it, the value and the fix).
/// </summary>
public abstract record DatasetJobOptions
{
    private readonly string _inputPath = "";
    private readonly string _outputPath = "";
    private readonly ShardSpec _shard = ShardSpec.All;
    private readonly RecordReaderOptions _readerOptions = RecordReaderOptions.Default;
    private readonly int _parquetRowGroupSize = 10_000;

    /// <summary>
    /// True when a job has left anything at <paramref name="outputPath"/>: the output, the checkpoint of a stopped or
    /// killed run, or a manifest. Surfaces ask it before a run to insist on an explicit resume or overwrite.
    /// </summary>
    public static bool OutputExists(string outputPath) => JobOutput.AnyExists(outputPath);

    /// <summary>Reads <paramref name="inputPath"/>, writes <paramref name="outputPath"/>.</summary>
    protected DatasetJobOptions(string inputPath, string outputPath)
    {
        InputPath = inputPath;
        OutputPath = outputPath;
    }

    /// <summary>The dataset to read (JSONL, CSV, TSV or Parquet).</summary>
    public string InputPath { get => _inputPath; init => _inputPath = PathValue(value, nameof(InputPath)); }

    /// <summary>Input format; null means from the extension.</summary>
    public RecordFormat? InputFormat { get; init; }

    /// <summary>Where the rows go; the file appears when the run completes. Each shard needs its own output path.</summary>
    public string OutputPath { get => _outputPath; init => _outputPath = PathValue(value, nameof(OutputPath)); }

    /// <summary>Output format; null means from the extension. May differ from the input's.</summary>
    public RecordFormat? OutputFormat { get; init; }

    /// <summary>
    /// True (default): continue the run that wrote the output — rows already done are checked against the input and
    /// skipped — provided the same job wrote it (its manifest: same model or rewards, columns, options, shard); anything
    /// else is refused. False: start afresh; the old output is replaced when this run completes and never adopted.
    /// </summary>
    public bool Resume { get; init; } = true;

    /// <summary>Which share of the rows this process handles; default all.</summary>
    public ShardSpec Shard { get => _shard; init => _shard = value ?? throw new ArgumentNullException(nameof(Shard), "Fix: use ShardSpec.All or new ShardSpec(index, count)."); }

    /// <summary>How rows are assigned to shards; default by row index.</summary>
    public ShardAssignment ShardAssignment { get; init; } = ShardAssignment.RowIndex;

    /// <summary>False (default): a corrupt input record stops the job. True: it is skipped and recorded in the summary and &lt;output&gt;.skipped.jsonl.</summary>
    public bool SkipBadRecords { get; init; }

    /// <summary>Input reader options (CSV delimiter, CSV columns holding JSON lists, invalid UTF-8).</summary>
    public RecordReaderOptions ReaderOptions { get => _readerOptions; init => _readerOptions = value ?? RecordReaderOptions.Default; }

    /// <summary>CSV/TSV output delimiter; null means ',' for CSV and '\t' for TSV.</summary>
    public char? OutputDelimiter { get; init; }

    /// <summary>
    /// True (default): every batch is fsync'd, so written rows survive a power loss or OS crash. False: every batch is only
    /// flushed to the operating system, which survives the process being killed (kill -9) but not the machine going down.
    /// </summary>
    public bool SyncToDisk { get; init; } = true;

    /// <summary>Count input rows before starting (a fast scan) so progress has a total; default true.</summary>
    public bool CountTotalRows { get; init; } = true;

    /// <summary>Rows per row group of a Parquet output, written when the run completes; default 10,000.</summary>
    public int ParquetRowGroupSize
    {
        get => _parquetRowGroupSize;
        init => _parquetRowGroupSize = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ParquetRowGroupSize), value, "ParquetRowGroupSize must be at least 1. Fix: use e.g. 10,000.");
    }

    /// <summary>Input format, from <see cref="InputFormat"/> or the extension.</summary>
    public RecordFormat ResolvedInputFormat => InputFormat ?? RecordFiles.FormatFromPath(InputPath);

    /// <summary>Output format, from <see cref="OutputFormat"/> or the extension.</summary>
    public RecordFormat ResolvedOutputFormat => OutputFormat ?? RecordFiles.FormatFromPath(OutputPath);

    /// <summary>Checks that both formats are known and that the output is not the input (links count).</summary>
    protected void ValidateFiles(string inputDescription)
    {
        if (InputFormat is null) KnownExtension(InputPath, nameof(InputPath), nameof(InputFormat));
        if (OutputFormat is null) KnownExtension(OutputPath, nameof(OutputPath), nameof(OutputFormat));
        if (OutputFile.SameFile(InputPath, OutputPath))
            throw new ArgumentException($"OutputPath '{OutputPath}' is the {inputDescription} (or a link to it). Fix: write to another file.", nameof(OutputPath));
    }

    /// <summary>The shared part of the job machinery's settings; the job adds its kind, columns and identity.</summary>
    internal DatasetJobSpec Spec(string kind, System.Text.Json.Nodes.JsonObject jobIdentity, IReadOnlyList<string> requiredColumns, IReadOnlyList<string> outputColumns, string? idColumn, bool strict) => new()
    {
        Kind = kind,
        InputPath = InputPath,
        InputFormat = ResolvedInputFormat,
        ReaderOptions = ReaderOptions,
        OutputPath = OutputPath,
        OutputFormat = ResolvedOutputFormat,
        OutputDelimiter = OutputDelimiter,
        IdColumn = idColumn,
        Strict = strict,
        RequiredColumns = requiredColumns,
        OutputColumns = outputColumns,
        Shard = Shard,
        ShardAssignment = ShardAssignment,
        SkipBadRecords = SkipBadRecords,
        Resume = Resume,
        SyncToDisk = SyncToDisk,
        ParquetRowGroupSize = ParquetRowGroupSize,
        JobIdentity = jobIdentity,
        Settings = new System.Text.Json.Nodes.JsonObject
        {
            ["input_path"] = Path.GetFullPath(InputPath),
            ["sync_to_disk"] = SyncToDisk,
            ["parquet_row_group_size"] = ParquetRowGroupSize,
        },
        RestartHint = $"set {GetType().Name}.Resume = false",
    };

    private void KnownExtension(string path, string pathName, string setting)
    {
        try
        {
            RecordFiles.FormatFromPath(path);
        }
        catch (ArgumentException)
        {
            throw new ArgumentException(
                $"Cannot tell the format of {pathName} '{path}' from its extension. Fix: set {GetType().Name}.{setting}, or use .jsonl, .ndjson, .csv, .tsv, .tab or .parquet.",
                setting);
        }
    }

    private static string PathValue(string value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"{name} is '{value}'. Fix: give a file path.", name) : value;
}
