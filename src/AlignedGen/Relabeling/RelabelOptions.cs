using System.Text.Json.Nodes;
using AlignedGen.Data;
using AlignedGen.Jobs;
using AlignedGen.Rewards;

namespace AlignedGen.Relabeling;

/// <summary>
/// Everything a <see cref="RelabelJob"/> needs. Each property is checked when set (the error names it, the value and the
/// fix); combinations (formats from extensions, input ≠ output, reward columns that clash with mapped columns) are
/// checked by <see cref="Validate"/>, which the job calls on creation.
/// </summary>
public sealed record RelabelOptions
{
    private readonly string _inputPath = "";
    private readonly string _outputPath = "";
    private readonly IReadOnlyList<RewardColumn> _rewards = Array.Empty<RewardColumn>();
    private readonly ColumnMap _columns = ColumnMap.Default;
    private readonly int _batchSize = 32;
    private readonly ShardSpec _shard = ShardSpec.All;
    private readonly RecordReaderOptions _readerOptions = RecordReaderOptions.Default;
    private readonly int _parquetRowGroupSize = 10_000;

    /// <summary>Relabel <paramref name="inputPath"/> into <paramref name="outputPath"/> with the given reward columns.</summary>
    public RelabelOptions(string inputPath, string outputPath, IReadOnlyList<RewardColumn> rewards)
    {
        InputPath = inputPath;
        OutputPath = outputPath;
        Rewards = rewards;
    }

    /// <summary>The dataset to score.</summary>
    public string InputPath { get => _inputPath; init => _inputPath = PathValue(value, nameof(InputPath)); }

    /// <summary>Input format; null means from the extension.</summary>
    public RecordFormat? InputFormat { get; init; }

    /// <summary>Where the scored rows go. Each shard needs its own output path.</summary>
    public string OutputPath { get => _outputPath; init => _outputPath = PathValue(value, nameof(OutputPath)); }

    /// <summary>Output format; null means from the extension. May differ from the input's.</summary>
    public RecordFormat? OutputFormat { get; init; }

    /// <summary>Which columns hold id, prompt, response, reference.</summary>
    public ColumnMap Columns
    {
        get => _columns;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Columns));
            value.CheckDistinct(nameof(Columns));
            _columns = value;
        }
    }

    /// <summary>Reward sources and their output columns; at least one, distinct column names.</summary>
    public IReadOnlyList<RewardColumn> Rewards
    {
        get => _rewards;
        init
        {
            if (value is null || value.Count == 0 || value.Any(r => r is null))
                throw new ArgumentException("Rewards is empty or holds null. Fix: pass RewardColumn.For(yourRewardSource).", nameof(Rewards));
            var duplicate = value.GroupBy(r => r.ColumnName, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
                throw new ArgumentException($"Two reward sources write column '{duplicate.Key}'. Fix: give each its own column (RewardColumn.For names them reward_<name>).", nameof(Rewards));
            _rewards = value.ToArray();
        }
    }

    /// <summary>(prompt, response) pairs per reward-source call and per durable write; default 32.</summary>
    public int BatchSize
    {
        get => _batchSize;
        init => _batchSize = value is >= 1 and <= 1_000_000
            ? value
            : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, "BatchSize must be in 1..1,000,000. Fix: use the batch your reward model handles well (e.g. 32).");
    }

    /// <summary>
    /// True (default): continue the run that wrote the output — rows already done are checked against the input and
    /// skipped — provided the same job wrote it (its manifest: same rewards, columns, options, shard); anything else is
    /// refused. False: start afresh; the old output is replaced when this run completes and never adopted.
    /// </summary>
    public bool Resume { get; init; } = true;

    /// <summary>Which share of the rows this process relabels; default all.</summary>
    public ShardSpec Shard { get => _shard; init => _shard = value ?? throw new ArgumentNullException(nameof(Shard), "Fix: use ShardSpec.All or new ShardSpec(index, count)."); }

    /// <summary>How rows are assigned to shards; default by row index.</summary>
    public ShardAssignment ShardAssignment { get; init; } = ShardAssignment.RowIndex;

    /// <summary>False (default): a corrupt input record stops the job. True: it is skipped and recorded in the summary and a side file.</summary>
    public bool SkipBadRecords { get; init; }

    /// <summary>
    /// True (default): prompt, response (text or list of text) and reference must be text, and the id present. False: null or
    /// missing values are scored as "" (reference: none), numbers and other values as their text, a missing id falls back to a content hash.
    /// </summary>
    public bool Strict { get; init; } = true;

    /// <summary>Input reader options (CSV delimiter, CSV columns holding JSON lists).</summary>
    public RecordReaderOptions ReaderOptions { get => _readerOptions; init => _readerOptions = value ?? RecordReaderOptions.Default; }

    /// <summary>CSV/TSV output delimiter; null means ',' for CSV and '\t' for TSV.</summary>
    public char? OutputDelimiter { get; init; }

    /// <summary>
    /// True (default): every batch is fsync'd, so written rows survive a power loss or OS crash. False: every batch is only
    /// flushed to the operating system, which survives the process being killed (kill -9) but not the machine going down;
    /// much faster at small batch sizes on slow disks.
    /// </summary>
    public bool SyncToDisk { get; init; } = true;

    /// <summary>Count input rows before starting (a fast scan) so progress has a total; default true.</summary>
    public bool CountTotalRows { get; init; } = true;

    /// <summary>Rows per row group when the Parquet output is written at the end of the run; default 10,000.</summary>
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

    /// <summary>Checks the combination of settings; throws <see cref="ArgumentException"/> naming the setting and the fix.</summary>
    public void Validate()
    {
        if (InputFormat is null && !KnownExtension(InputPath))
            throw new ArgumentException(
                $"Cannot tell the format of InputPath '{InputPath}' from its extension. Fix: set RelabelOptions.InputFormat, or use .jsonl, .ndjson, .csv, .tsv, .tab or .parquet.",
                nameof(InputFormat));
        if (OutputFormat is null && !KnownExtension(OutputPath))
            throw new ArgumentException(
                $"Cannot tell the format of OutputPath '{OutputPath}' from its extension. Fix: set RelabelOptions.OutputFormat, or use .jsonl, .ndjson, .csv, .tsv, .tab or .parquet.",
                nameof(OutputFormat));
        if (OutputFile.SameFile(InputPath, OutputPath))
            throw new ArgumentException($"OutputPath '{OutputPath}' is the input file (or a link to it). Fix: write to another file.", nameof(OutputPath));
        var mapped = new[] { Columns.Id, Columns.Prompt, Columns.Response, Columns.Reference, Columns.PromptId };
        foreach (var reward in Rewards)
            if (mapped.Contains(reward.ColumnName, StringComparer.Ordinal))
                throw new ArgumentException(
                    $"Reward column '{reward.ColumnName}' (source '{reward.Source.Name}') is also a mapped input column. Fix: name the reward column differently.",
                    nameof(Rewards));
    }

    /// <summary>The settings the shared job machinery reads, with this job's identity (rewards by content, columns).</summary>
    internal DatasetJobSpec ToJobSpec() => new()
    {
        Kind = "relabel",
        InputPath = InputPath,
        InputFormat = ResolvedInputFormat,
        ReaderOptions = ReaderOptions,
        OutputPath = OutputPath,
        OutputFormat = ResolvedOutputFormat,
        OutputDelimiter = OutputDelimiter,
        IdColumn = Columns.Id,
        Strict = Strict,
        RequiredColumns = Columns.RequiredColumns.Where(c => Strict || c == Columns.Prompt || c == Columns.Response).ToArray(),
        OutputColumns = Rewards.Select(r => r.ColumnName).ToArray(),
        Shard = Shard,
        ShardAssignment = ShardAssignment,
        SkipBadRecords = SkipBadRecords,
        Resume = Resume,
        SyncToDisk = SyncToDisk,
        ParquetRowGroupSize = ParquetRowGroupSize,
        JobIdentity = new JsonObject
        {
            ["columns"] = new JsonObject
            {
                ["id"] = Columns.Id, ["prompt"] = Columns.Prompt, ["response"] = Columns.Response,
                ["reference"] = Columns.Reference, ["prompt_id"] = Columns.PromptId,
            },
            ["rewards"] = new JsonObject(Rewards.Select(r => KeyValuePair.Create(r.ColumnName, (JsonNode?)RewardSourceIdentity.Of(r.Source)))),
        },
        Settings = new JsonObject
        {
            ["input_path"] = Path.GetFullPath(InputPath),
            ["batch_size"] = BatchSize,
            ["sync_to_disk"] = SyncToDisk,
            ["parquet_row_group_size"] = ParquetRowGroupSize,
        },
        RestartHint = "set RelabelOptions.Resume = false",
    };

    private static bool KnownExtension(string path)
    {
        try
        {
            RecordFiles.FormatFromPath(path);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string PathValue(string value, string name) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException($"{name} is '{value}'. Fix: give a file path.", name)
            : value;
}
