using System.Text.Json.Nodes;
using AlignedGen.Data;
using AlignedGen.Decoding;
using AlignedGen.Jobs;
using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Generation;

/// <summary>
/// Generates a response to every prompt of a file (JSONL, CSV, TSV, Parquet) into an output file: each input row with the
/// result columns (docs/data-schema.md). The same machinery as relabeling: durable (each batch appended to a checkpoint,
/// fsync'd, before the next is decoded), resumable (kill -9 and re-run: every prompt exactly once, byte-identical to an
/// uninterrupted run — each row's random stream is seeded from its id), shardable (<see cref="GenerationJobOptions.Shard"/>,
/// merged with <see cref="DatasetShards.Merge"/>), and refusing to resume another job's output (model files, reward,
/// strategy, generation options and columns are in its manifest). A row that cannot be generated is written with
/// finish_reason "error" and listed in &lt;output&gt;.errors.jsonl; the other rows go on.
/// </summary>
public sealed class GenerationJob
{
    /// <summary>A job running <paramref name="generator"/> (model and reward) with <paramref name="options"/>; checks them (<see cref="GenerationJobOptions.Validate"/>).</summary>
    public GenerationJob(TextGenerator generator, GenerationJobOptions options)
    {
        Generator = generator ?? throw new ArgumentNullException(nameof(generator));
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    /// <summary>The generator (model and reward).</summary>
    public TextGenerator Generator { get; }

    /// <summary>The job's options.</summary>
    public GenerationJobOptions Options { get; }

    /// <summary>
    /// Runs the job to completion and returns what it did. Cancellation stops it after the batch in flight is written
    /// (throwing <see cref="OperationCanceledException"/>); a re-run resumes from there.
    /// </summary>
    public GenerationJobSummary Run(IProgress<GenerationJobProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var o = Options;
        var processor = new PromptBatchGenerator(Generator, o, Path.GetFullPath(o.InputPath));
        var spec = o.ToJobSpec(GeneratorIdentity(Generator)) with
        {
            RowError = row => row.GetText(ResultColumns.FinishReason) == ResultColumns.FinishReasonName(FinishReason.Error) ? row.GetText(ResultColumns.Error) ?? "error" : null,
        };
        var result = DatasetJobEngine.Run(spec, processor, o.CountTotalRows,
            progress is null ? null : p => progress.Report(new GenerationJobProgress(p.RowsDone, p.TotalRows, p.RowsThisRun, processor.Failed, p.RowsSkipped, p.RowsPerSecond, p.Elapsed)),
            cancellationToken);
        return new GenerationJobSummary(o, result);
    }

    /// <summary>The model by its folder's files (an ONNX model), or by type and name; the reward by <see cref="RewardSourceIdentity"/>.</summary>
    private static JsonObject GeneratorIdentity(TextGenerator generator)
    {
        JsonObject model = generator.Model is OnnxCausalLanguageModel onnx
            ? new JsonObject { ["kind"] = "onnx-causal-lm", ["files"] = FileFingerprint.OfFolder(onnx.Folder) }
            : new JsonObject { ["kind"] = generator.Model.GetType().FullName, ["name"] = generator.Model.Name };
        return new JsonObject { ["model"] = model, ["reward"] = generator.Reward is null ? null : RewardSourceIdentity.Of(generator.Reward) };
    }
}
