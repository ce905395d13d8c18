using System.CommandLine;
using AlignedGen.Jobs;
using AlignedGen.Cli.Progress;
using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Relabeling;
using AlignedGen.Tokenization;

namespace AlignedGen.Cli.Options;

/// <summary>
/// Every option that more than one command takes, declared once as a typed <see cref="Option{T}"/> with its
/// description, default and core-backed validation; commands add the ones they use. One instance per parser.
/// Strategy and reward options live in <see cref="StrategyOptions"/> and <see cref="RewardOptions"/>.
/// </summary>
public sealed class CliOptions
{
    public CliOptions()
    {
        Device.CompletionSources.Add("cpu", "cuda", "cuda:0", "cuda:1");
        ChatTemplate.CompletionSources.Add("auto", "none", "chatml", "llama3", "llama2", "phi3", "human-assistant");
    }

    /// <summary>`--model DIR`; required by the commands that decode.</summary>
    public static Option<string> Model(bool required = true) => new("--model", "-m")
    {
        Description = "Model folder: model.onnx (+ .data), config.json and tokenizer files (Hugging Face Optimum or onnxruntime-genai layout), or hf:org/name[@rev][/subfolder] from the Hugging Face Hub (docs/hub.md).",
        HelpName = "DIR",
        Required = required,
    };

    public Option<string> Device { get; } = new Option<string>("--device")
    {
        Description = "Where the models run: cpu | cuda | cuda:N. CUDA needs the GPU build (docs/gpu.md); when it cannot be used the command stops with exit code 2 unless --allow-cpu-fallback.",
        DefaultValueFactory = _ => "cpu",
        HelpName = "DEVICE",
    }.CheckedBy(v => ExecutionOptions.Parse(v));

    /// <summary>`--allow-cpu-fallback`: with --device cuda, run on the CPU (and say so on stderr) when CUDA cannot be used.</summary>
    public Option<bool> AllowCpuFallback { get; } = new("--allow-cpu-fallback")
    {
        Description = "With --device cuda: when CUDA cannot be used, run on the CPU and say so on stderr instead of stopping.",
    };

    /// <summary>`--threads N`: ONNX Runtime intra-op threads per model session.</summary>
    public Option<int> Threads { get; } = new Option<int>("--threads")
    {
        Description = "Threads each model uses for one operator. 0 (default): one per physical core for models of 32 MiB of weights or more, one for smaller models (where a thread pool costs more than it saves).",
        DefaultValueFactory = _ => 0,
        HelpName = "N",
    }.CheckedBy(v => _ = new ExecutionOptions(intraOpThreads: v));

    /// <summary>`--memory-budget SIZE`: most bytes one batch's model caches may fill (GenerationOptions.MemoryBudgetBytes).</summary>
    public Option<string?> MemoryBudget { get; } = new Option<string?>("--memory-budget")
    {
        Description = "Most memory one batch's model caches may fill (LM KV cache plus the strategy's: ARGS's reward-model candidates, Best-of-N's samples), e.g. 8GiB, 512MiB or bytes. A batch that needs more runs as sub-batches with the same results; a prompt that cannot fit alone is an error row. Default: half the memory available at start.",
        HelpName = "SIZE",
    }.CheckedBy(v => { if (v is not null) AlignedGen.Decoding.MemoryBudget.Parse(v); });

    /// <summary>The budget --memory-budget gives, or null (the default share of available memory).</summary>
    public long? MemoryBudgetOf(ParseResult parse) =>
        parse.GetValue(MemoryBudget) is { } text ? AlignedGen.Decoding.MemoryBudget.Parse(text) : null;

    public Option<string?> ChatTemplate { get; } = new Option<string?>("--chat-template")
    {
        Description = "Wrap each prompt in a chat template: auto (from the model's tokenizer_config.json), chatml, llama3, llama2, phi3, human-assistant; default none.",
        HelpName = "NAME",
    }.CheckedBy(v =>
    {
        if (v is not null && v != "auto" && v != "none") AlignedGen.Tokenization.ChatTemplate.FromName(v);
    });

    /// <summary>`--input FILE` (alias --prompts): a rows file in any record format.</summary>
    public static Option<string> Input(bool required, string what = "Rows file") => new("--input", "-i", "--prompts")
    {
        Description = what + ": .jsonl/.ndjson, .csv, .tsv/.tab or .parquet (the format comes from the extension).",
        HelpName = "FILE",
        Required = required,
    };

    public Option<string[]> Prompt { get; } = new("--prompt", "-p")
    {
        Description = "A prompt given inline (repeat for several); ids 0, 1, ...",
        HelpName = "TEXT",
    };

    public Option<int?> Limit { get; } = new Option<int?>("--limit")
    {
        Description = "Use only the first N rows of the input.",
        HelpName = "N",
    }.AtLeast(1, "Leave --limit out to use every row.");

    public Option<string> IdColumn { get; } = Column("--id-column", "id", "Row id column (resume, shards, output ids); 'none' identifies rows by content.");
    public Option<string> PromptColumn { get; } = Column("--prompt-column", "prompt", "Prompt column (generate also accepts 'instruction' when 'prompt' is absent).");
    public Option<string> ResponseColumn { get; } = Column("--response-column", "response", "Response column: text, or a list of texts.");
    public Option<string?> ReferenceColumn { get; } = new("--reference-column") { Description = "Reference-answer column handed to the reward (optional).", HelpName = "NAME" };
    public Option<string?> PromptIdColumn { get; } = new("--prompt-id-column") { Description = "Column grouping rows of one prompt (pairs); default: group by prompt text.", HelpName = "NAME" };

    public Option<int?> Seed { get; } = new("--seed") { Description = "Seed for every random choice; results then do not depend on --batch-size.", HelpName = "N" };

    public Option<string[]> Stop { get; } = new Option<string[]>("--stop")
    {
        Description = "Text that ends a response (repeat for several); the response is cut before it.",
        HelpName = "TEXT",
    }.CheckedBy(v => _ = new GenerationOptions(stopStrings: v));

    public Option<string> Shard { get; } = new Option<string>("--shard")
    {
        Description = "Process only shard INDEX of COUNT (0-based), e.g. 0/4, or 'auto': this task's shard in a Slurm job array or Kubernetes Indexed Job (auto/COUNT gives the count; docs/scale-out.md). Merge the outputs with 'aligngen merge'.",
        DefaultValueFactory = _ => "0/1",
        HelpName = "INDEX/COUNT|auto",
    }.CheckedBy(v => ShardText.Parse(v));

    public Option<ShardAssignment> ShardBy { get; } = new("--shard-by")
    {
        Description = "How rows are assigned to shards: RowIndex (even shares) or IdHash (stable under reordering).",
        DefaultValueFactory = _ => ShardAssignment.RowIndex,
    };

    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue into an existing output: keep its rows, do the rest." };

    public Option<bool> Force { get; } = new("--force") { Description = "Overwrite an existing output." };

    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "No progress and no notes; errors still go to stderr." };

    public Option<ProgressMode> Progress { get; } = new("--progress")
    {
        Description = "Progress display: auto (a live bar on a terminal, a plain line every few seconds otherwise), live, plain, none.",
        DefaultValueFactory = _ => ProgressMode.Auto,
        HelpName = "MODE",
    };

    /// <summary>`--max-new-tokens`, validated by <see cref="GenerationOptions"/>; the default differs by command.</summary>
    public static Option<int> MaxNewTokens(int defaultValue) => new Option<int>("--max-new-tokens")
    {
        Description = "New tokens per prompt at most.",
        DefaultValueFactory = _ => defaultValue,
        HelpName = "N",
    }.CheckedBy(v => _ = new GenerationOptions(maxNewTokens: v));

    /// <summary>`--batch-size` for decoding, validated by <see cref="GenerationOptions"/>.</summary>
    public static Option<int> DecodeBatchSize(int defaultValue = AlignedGenDefaults.BatchSize) => new Option<int>("--batch-size")
    {
        Description = "Prompts decoded together.",
        DefaultValueFactory = _ => defaultValue,
        HelpName = "N",
    }.CheckedBy(v => _ = new GenerationOptions(batchSize: v));

    /// <summary>`--output`; <paramref name="description"/> says what goes there.</summary>
    public static Option<string> Output(string description, bool required) => new("--output", "-o")
    {
        Description = description,
        Required = required,
        HelpName = "PATH",
    };

    /// <summary>The column map the column options describe ('none' for an optional column means none; options a command lacks keep the defaults).</summary>
    public ColumnMap Columns(ParseResult parse) => new()
    {
        Id = NoneIsNull(parse.GetValue(IdColumn) ?? ColumnMap.Default.Id),
        Prompt = parse.GetValue(PromptColumn) ?? ColumnMap.Default.Prompt,
        Response = parse.GetValue(ResponseColumn) ?? ColumnMap.Default.Response,
        Reference = NoneIsNull(parse.GetValue(ReferenceColumn)),
        PromptId = NoneIsNull(parse.GetValue(PromptIdColumn)),
    };

    /// <summary>The chat template for <see cref="GenerationOptions"/>: null for none.</summary>
    public string? ChatTemplateName(ParseResult parse) => parse.GetValue(ChatTemplate) is { } name && name != "none" ? name : null;

    private static string? NoneIsNull(string? value) => value is null || value == "none" ? null : value;

    private static Option<string> Column(string name, string defaultValue, string description) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        HelpName = "NAME",
    };

    /// <summary>The execution options --device describes.</summary>
    public ExecutionOptions Execution(ParseResult parse) =>
        ExecutionOptions.Parse(parse.GetValue(Device)!, parse.GetValue(AllowCpuFallback), parse.GetValue(Threads));

    /// <summary>The shard --shard describes.</summary>
    public ShardSpec ShardOf(ParseResult parse) => ShardText.Parse(parse.GetValue(Shard)!);
}
