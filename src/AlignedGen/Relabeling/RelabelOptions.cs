using System.Text.Json.Nodes;
using AlignedGen.Data;
using AlignedGen.Jobs;
using AlignedGen.Rewards;

namespace AlignedGen.Relabeling;

/// <summary>
/// Everything a <see cref="RelabelJob"/> needs: the files, sharding, resume and durability settings every dataset job has
/// (<see cref="DatasetJobOptions"/>), and the rewards, columns and batch size of relabeling. Each property is checked when
/// set (the error names it, the value and the fix); combinations (formats from extensions, input ≠ output, reward columns
/// that clash with mapped columns) are checked by <see cref="Validate"/>, which the job calls on creation.
/// </summary>
public sealed record RelabelOptions : DatasetJobOptions
{
    private readonly IReadOnlyList<RewardColumn> _rewards = Array.Empty<RewardColumn>();
    private readonly ColumnMap _columns = ColumnMap.Default;
    private readonly int _batchSize = AlignedGenDefaults.RelabelBatchSize;

    /// <summary>Relabel <paramref name="inputPath"/> into <paramref name="outputPath"/> with the given reward columns.</summary>
    public RelabelOptions(string inputPath, string outputPath, IReadOnlyList<RewardColumn> rewards)
        : base(inputPath, outputPath)
    {
        Rewards = rewards;
    }

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
    /// True (default): prompt, response (text or list of text) and reference must be text, and the id present. False: null or
    /// missing values are scored as "" (reference: none), numbers and other values as their text, a missing id falls back to a content hash.
    /// </summary>
    public bool Strict { get; init; } = true;

    /// <summary>Checks the combination of settings; throws <see cref="ArgumentException"/> naming the setting and the fix.</summary>
    public void Validate()
    {
        ValidateFiles("input file");
        var mapped = new[] { Columns.Id, Columns.Prompt, Columns.Response, Columns.Reference, Columns.PromptId };
        foreach (var reward in Rewards)
            if (mapped.Contains(reward.ColumnName, StringComparer.Ordinal))
                throw new ArgumentException(
                    $"Reward column '{reward.ColumnName}' (source '{reward.Source.Name}') is also a mapped input column. Fix: name the reward column differently.",
                    nameof(Rewards));
    }

    /// <summary>The settings the shared job machinery reads, with this job's identity (rewards by content, columns).</summary>
    internal DatasetJobSpec ToJobSpec()
    {
        var spec = Spec("relabel",
            new JsonObject
            {
                ["columns"] = new JsonObject
                {
                    ["id"] = Columns.Id, ["prompt"] = Columns.Prompt, ["response"] = Columns.Response,
                    ["reference"] = Columns.Reference, ["prompt_id"] = Columns.PromptId,
                },
                ["rewards"] = new JsonObject(Rewards.Select(r => KeyValuePair.Create(r.ColumnName, (JsonNode?)RewardSourceIdentity.Of(r.Source)))),
            },
            requiredColumns: Columns.RequiredColumns.Where(c => Strict || c == Columns.Prompt || c == Columns.Response).ToArray(),
            outputColumns: Rewards.Select(r => r.ColumnName).ToArray(),
            idColumn: Columns.Id, strict: Strict);
        spec.Settings["batch_size"] = BatchSize;
        return spec;
    }
}
