using System.Text.Json.Nodes;
using AlignedGen.Data;
using AlignedGen.Decoding;
using AlignedGen.Jobs;

namespace AlignedGen.Generation;

/// <summary>
/// Everything a <see cref="GenerationJob"/> needs besides its generator (model and reward). Each property is checked when
/// set (the error names it, the value and the fix); combinations are checked by <see cref="Validate"/>, which the job
/// calls on creation. The job's batch (prompts decoded together and written durably together) is
/// <see cref="GenerationOptions.BatchSize"/>.
/// </summary>
public sealed record GenerationJobOptions
{
    private readonly string _inputPath = "";
    private readonly string _outputPath = "";
    private readonly IDecodingStrategy _strategy = null!;
    private readonly GenerationOptions _generation = DefaultGeneration;
    private readonly PromptColumns _columns = PromptColumns.Default;
    private readonly ShardSpec _shard = ShardSpec.All;
    private readonly RecordReaderOptions _readerOptions = RecordReaderOptions.Default;
    private readonly int _parquetRowGroupSize = 10_000;

    /// <summary>Generation options of a job: the defaults with seed 0, so a re-run (or another shard) draws the same samples.</summary>
    public static GenerationOptions DefaultGeneration { get; } = new(seed: 0);

    /// <summary>Generate a response to every prompt of <paramref name="inputPath"/> with <paramref name="strategy"/> into <paramref name="outputPath"/>.</summary>
    public GenerationJobOptions(string inputPath, string outputPath, IDecodingStrategy strategy)
    {
        InputPath = inputPath;
        OutputPath = outputPath;
        Strategy = strategy;
    }

    /// <summary>The prompt file (JSONL, CSV, TSV or Parquet).</summary>
    public string InputPath { get => _inputPath; init => _inputPath = PathValue(value, nameof(InputPath)); }

    /// <summary>Input format; null means from the extension.</summary>
    public RecordFormat? InputFormat { get; init; }

    /// <summary>Where the results go: every input column, then the result columns (docs/data-schema.md). Each shard needs its own output.</summary>
    public string OutputPath { get => _outputPath; init => _outputPath = PathValue(value, nameof(OutputPath)); }

    /// <summary>Output format; null means from the extension.</summary>
    public RecordFormat? OutputFormat { get; init; }

    /// <summary>The decoding strategy.</summary>
    public IDecodingStrategy Strategy
    {
        get => _strategy;
        init => _strategy = value ?? throw new ArgumentNullException(nameof(Strategy), "Fix: pass a decoding strategy, e.g. SamplingStrategy.Greedy.");
    }

    /// <summary>
    /// Length, stopping, batch size, chat template and seed. A job always seeds: <see cref="GenerationOptions.Seed"/> null
    /// is refused (<see cref="DefaultGeneration"/> uses 0); each row's random stream comes from the seed and the row's id,
    /// so resumed runs and shards draw what one uninterrupted run draws.
    /// </summary>
    public GenerationOptions Generation
    {
        get => _generation;
        init => _generation = value?.Seed is null
            ? throw new ArgumentException("Generation.Seed is null: a job needs a fixed seed so that a resumed run or another shard draws the same samples. Fix: set a seed (e.g. new GenerationOptions(seed: 0)).", nameof(Generation))
            : value;
    }

    /// <summary>Which columns hold id, prompt and reference.</summary>
    public PromptColumns Columns { get => _columns; init => _columns = value ?? throw new ArgumentNullException(nameof(Columns)); }

    /// <summary>True (default): continue the job that wrote the output if it is the same job; false: start afresh (the old output is replaced when done).</summary>
    public bool Resume { get; init; } = true;

    /// <summary>Which share of the prompts this process generates; default all.</summary>
    public ShardSpec Shard { get => _shard; init => _shard = value ?? throw new ArgumentNullException(nameof(Shard), "Fix: use ShardSpec.All or new ShardSpec(index, count)."); }

    /// <summary>How rows are assigned to shards; default by row index.</summary>
    public ShardAssignment ShardAssignment { get; init; } = ShardAssignment.RowIndex;

    /// <summary>False (default): a corrupt input record stops the job. True: it is skipped and listed in &lt;output&gt;.skipped.jsonl.</summary>
    public bool SkipBadRecords { get; init; }

    /// <summary>
    /// False (default): a row that cannot be generated (empty prompt, prompt longer than the context, not text, a reward
    /// failure for that row) is written with finish_reason "error" and its reason, listed in &lt;output&gt;.errors.jsonl,
    /// and the job goes on. True: the first such row stops the job (rows before it stay written).
    /// </summary>
    public bool FailFast { get; init; }

    /// <summary>
    /// True (default): each row gets its share of its batch's wall time, the batch's time and size (row_share_ms, batch_ms,
    /// batch_rows). False: those are null, so a rerun, a resumed run or merged shards give a byte-identical output.
    /// </summary>
    public bool WriteTimings { get; init; } = true;

    /// <summary>Input reader options (CSV delimiter, invalid UTF-8).</summary>
    public RecordReaderOptions ReaderOptions { get => _readerOptions; init => _readerOptions = value ?? RecordReaderOptions.Default; }

    /// <summary>CSV/TSV output delimiter; null means ',' for CSV and '\t' for TSV.</summary>
    public char? OutputDelimiter { get; init; }

    /// <summary>True (default): every batch is fsync'd. False: only flushed to the OS (survives kill -9, not power loss).</summary>
    public bool SyncToDisk { get; init; } = true;

    /// <summary>Count input rows before starting so progress has a total; default true.</summary>
    public bool CountTotalRows { get; init; } = true;

    /// <summary>Rows per row group of a Parquet output; default 10,000.</summary>
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
        if (InputFormat is null) Known(InputPath, nameof(InputFormat), "InputPath");
        if (OutputFormat is null) Known(OutputPath, nameof(OutputFormat), "OutputPath");
        if (OutputFile.SameFile(InputPath, OutputPath))
            throw new ArgumentException($"OutputPath '{OutputPath}' is the prompt file (or a link to it). Fix: write to another file.", nameof(OutputPath));
        var clash = ResultColumns.All.FirstOrDefault(c => Columns.RequiredColumns.Contains(c));
        if (clash is not null)
            throw new ArgumentException($"Input column '{clash}' is mapped, but the job writes a result column of that name. Fix: rename the column in the prompt file.", nameof(Columns));
    }

    /// <summary>The settings the shared job machinery reads, with this job's identity (model, reward, strategy, generation options).</summary>
    internal DatasetJobSpec ToJobSpec(JsonObject generatorIdentity) => new()
    {
        Kind = "generate",
        InputPath = InputPath,
        InputFormat = ResolvedInputFormat,
        ReaderOptions = ReaderOptions,
        OutputPath = OutputPath,
        OutputFormat = ResolvedOutputFormat,
        OutputDelimiter = OutputDelimiter,
        IdColumn = Columns.Id,
        Strict = true,
        RequiredColumns = Columns.Id is null ? Array.Empty<string>() : new[] { Columns.Id },
        OutputColumns = ResultColumns.All,
        Shard = Shard,
        ShardAssignment = ShardAssignment,
        SkipBadRecords = SkipBadRecords,
        Resume = Resume,
        SyncToDisk = SyncToDisk,
        ParquetRowGroupSize = ParquetRowGroupSize,
        JobIdentity = new JsonObject
        {
            ["columns"] = new JsonObject { ["id"] = Columns.Id, ["prompt"] = Columns.Prompt, ["reference"] = Columns.Reference },
            ["generator"] = generatorIdentity,
            ["strategy"] = StrategyIdentity.Of(Strategy),
            ["generation"] = GenerationIdentity(Generation),
        },
        Settings = new JsonObject
        {
            ["input_path"] = Path.GetFullPath(InputPath),
            ["batch_size"] = Generation.BatchSize,
            ["fail_fast"] = FailFast,
            ["sync_to_disk"] = SyncToDisk,
        },
        RestartHint = "set GenerationJobOptions.Resume = false",
    };

    private static JsonObject GenerationIdentity(GenerationOptions g) => new()
    {
        ["max_new_tokens"] = g.MaxNewTokens,
        ["stop_strings"] = new JsonArray(g.StopStrings.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
        ["stop_at_eos"] = g.StopAtEos,
        ["add_special_tokens"] = g.AddSpecialTokens,
        ["chat_template"] = g.ChatTemplate,
        ["seed"] = g.Seed,
    };

    private static void Known(string path, string setting, string pathName)
    {
        try
        {
            RecordFiles.FormatFromPath(path);
        }
        catch (ArgumentException)
        {
            throw new ArgumentException(
                $"Cannot tell the format of {pathName} '{path}' from its extension. Fix: set GenerationJobOptions.{setting}, or use .jsonl, .ndjson, .csv, .tsv, .tab or .parquet.",
                setting);
        }
    }

    private static string PathValue(string value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"{name} is '{value}'. Fix: give a file path.", name) : value;
}
