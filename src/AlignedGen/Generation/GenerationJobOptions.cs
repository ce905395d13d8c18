using System.Text.Json.Nodes;
using AlignedGen.Data;
using AlignedGen.Decoding;
using AlignedGen.Jobs;

namespace AlignedGen.Generation;

/// <summary>
/// Everything a <see cref="GenerationJob"/> needs besides its generator (model and reward): the files, sharding, resume
/// and durability settings every dataset job has (<see cref="DatasetJobOptions"/>), the strategy, generation options and
/// prompt columns. Each property is checked when set; combinations by <see cref="Validate"/>, which the job calls on
/// creation. The job's batch (prompts decoded together and written durably together) is <see cref="GenerationOptions.BatchSize"/>.
/// </summary>
public sealed record GenerationJobOptions : DatasetJobOptions
{
    private readonly IDecodingStrategy _strategy = null!;
    private readonly GenerationOptions _generation = DefaultGeneration;
    private readonly PromptColumns _columns = PromptColumns.Default;

    /// <summary>Generation options of a job: the defaults with seed 0, so a re-run (or another shard) draws the same samples.</summary>
    public static GenerationOptions DefaultGeneration { get; } = new(seed: 0);

    /// <summary>Generate a response to every prompt of <paramref name="inputPath"/> with <paramref name="strategy"/> into <paramref name="outputPath"/>.</summary>
    public GenerationJobOptions(string inputPath, string outputPath, IDecodingStrategy strategy)
        : base(inputPath, outputPath)
    {
        Strategy = strategy;
    }

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

    /// <summary>Which columns hold id, prompt and reference; every other column passes through.</summary>
    public PromptColumns Columns { get => _columns; init => _columns = value ?? throw new ArgumentNullException(nameof(Columns)); }

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

    /// <summary>
    /// How the error column words the core's fixes: a surface passes its own (the CLI's names --memory-budget where the
    /// core names GenerationOptions.MemoryBudgetBytes). Null (default): the core's words. Not part of the job's identity.
    /// </summary>
    public SurfaceWording? Wording { get; init; }

    /// <summary>Checks the combination of settings; throws <see cref="ArgumentException"/> naming the setting and the fix.</summary>
    public void Validate()
    {
        ValidateFiles("prompt file");
        var clash = ResultColumns.All.FirstOrDefault(c => Columns.RequiredColumns.Contains(c));
        if (clash is not null)
            throw new ArgumentException($"Input column '{clash}' is mapped, but the job writes a result column of that name. Fix: rename the column in the prompt file.", nameof(Columns));
    }

    /// <summary>The settings the shared job machinery reads, with this job's identity (model, reward, strategy, generation options).</summary>
    internal DatasetJobSpec ToJobSpec(JsonObject generatorIdentity)
    {
        var spec = Spec("generate",
            new JsonObject
            {
                ["columns"] = new JsonObject { ["id"] = Columns.Id, ["prompt"] = Columns.Prompt, ["reference"] = Columns.Reference },
                ["generator"] = generatorIdentity,
                ["strategy"] = StrategyIdentity.Of(Strategy),
                ["generation"] = GenerationIdentity(Generation),
            },
            requiredColumns: Columns.Id is null ? Array.Empty<string>() : new[] { Columns.Id },
            outputColumns: ResultColumns.All, idColumn: Columns.Id, strict: true);
        spec.Settings["batch_size"] = Generation.BatchSize;
        spec.Settings["fail_fast"] = FailFast;
        return spec;
    }

    private static JsonObject GenerationIdentity(GenerationOptions g) => new()
    {
        ["max_new_tokens"] = g.MaxNewTokens,
        ["stop_strings"] = new JsonArray(g.StopStrings.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
        ["stop_at_eos"] = g.StopAtEos,
        ["add_special_tokens"] = g.AddSpecialTokens,
        ["chat_template"] = g.ChatTemplate,
        ["seed"] = g.Seed,
    };
}
