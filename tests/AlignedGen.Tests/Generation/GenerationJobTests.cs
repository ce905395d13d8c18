using AlignedGen.Data;
using AlignedGen.Decoding;
using AlignedGen.Generation;
using AlignedGen.Jobs;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Tests.Data;
using Xunit;

namespace AlignedGen.Tests.Generation;

/// <summary>
/// The generation job over prompt files: every input row with the result columns; the same output whatever the batch
/// size, when resumed after a cancellation, and when sharded and merged (each row seeded from its id); another job's
/// output is refused.
/// </summary>
public class GenerationJobTests
{
    internal static readonly SamplingStrategy Sampling = new(new SamplingOptions(temperature: 0.9));

    internal static string Prompts(TempFolder dir, int count, string name = "prompts.jsonl")
    {
        var words = new[] { "Once upon a time", "The cat", "A little girl", "In the park", "The sun was", "Tom and Sue" };
        var path = dir.File(name);
        SampleRows.Write(path, Enumerable.Range(0, count).Select(i => new DataRow
        {
            ["id"] = $"q{i:D4}", ["prompt"] = words[i % words.Length] + (i % 3 == 0 ? "" : $" {i}"), ["topic"] = i % 2 == 0 ? "even" : "odd",
        }).ToArray());
        return path;
    }

    internal static GenerationJobOptions Options(string input, string output, int batchSize = 4) =>
        new(input, output, Sampling) { Generation = new GenerationOptions(maxNewTokens: 8, batchSize: batchSize, seed: 7), WriteTimings = false };

    internal static GenerationJobSummary Run(ICausalLanguageModel model, GenerationJobOptions options) => new GenerationJob(new TextGenerator(model), options).Run();

    [Fact]
    public void Every_prompt_is_written_with_the_input_columns_then_the_result_columns()
    {
        using var dir = new TempFolder();
        using var model = OnnxCausalLanguageModel.Load(DefaultModels.EnsureDemoModel());
        var summary = Run(model, Options(Prompts(dir, 10), dir.File("out.jsonl")));
        Assert.Equal((10L, 0L, 0L), (summary.RowsGenerated, summary.RowsAlreadyDone, summary.RowsFailed));
        var rows = SampleRows.ReadAll(dir.File("out.jsonl"));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"q{i:D4}"), rows.Select(r => r.GetText("id")));
        Assert.All(rows, r => Assert.Equal(new[] { "id", "prompt", "topic" }.Concat(ResultColumns.All), r.ColumnNames));
        Assert.All(rows, r => Assert.Contains(r.GetText("finish_reason"), new[] { "eos", "length", "stop" }));
        Assert.All(rows, r => Assert.InRange(r.GetNumber("tokens")!.Value, 1, 8));
        Assert.True(File.Exists(dir.File("out.jsonl.manifest.json")));
        Assert.False(File.Exists(dir.File("out.jsonl.errors.jsonl")));
    }

    [Fact]
    public void Each_row_draws_the_same_samples_whatever_its_batch_and_a_cancelled_run_resumes_to_the_same_output()
    {
        using var dir = new TempFolder();
        using var model = OnnxCausalLanguageModel.Load(DefaultModels.EnsureDemoModel());
        var input = Prompts(dir, 23);
        Run(model, Options(input, dir.File("b4.jsonl"), batchSize: 4));
        Run(model, Options(input, dir.File("b7.jsonl"), batchSize: 7));
        string Responses(string path) => string.Join("\n", SampleRows.ReadAll(path).Select(r => r.GetText("id") + ":" + r.GetText("response")));
        Assert.Equal(Responses(dir.File("b4.jsonl")), Responses(dir.File("b7.jsonl")));

        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.RowsDone >= 8) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => new GenerationJob(new TextGenerator(model), Options(input, dir.File("resumed.jsonl"))).Run(progress, cts.Token));
        Assert.False(File.Exists(dir.File("resumed.jsonl")));
        var summary = Run(model, Options(input, dir.File("resumed.jsonl"), batchSize: 5));
        Assert.Equal((8L, 15L), (summary.RowsAlreadyDone, summary.RowsGenerated));
        Assert.Equal(Responses(dir.File("b4.jsonl")), Responses(dir.File("resumed.jsonl")));
    }

    [Theory]
    [InlineData("jsonl", ShardAssignment.RowIndex)]
    [InlineData("parquet", ShardAssignment.IdHash)]
    [InlineData("csv", ShardAssignment.RowIndex)]
    public void Shards_merge_into_the_output_of_one_run(string ext, ShardAssignment assignment)
    {
        using var dir = new TempFolder();
        using var model = OnnxCausalLanguageModel.Load(DefaultModels.EnsureDemoModel());
        var input = Prompts(dir, 17);
        var single = Options(input, dir.File("single." + ext)) with { ShardAssignment = assignment };
        Run(model, single);
        var shards = Enumerable.Range(0, 3).Select(i => dir.File($"s{i}.{ext}")).ToArray();
        for (var i = 0; i < 3; i++) Run(model, single with { OutputPath = shards[i], Shard = new ShardSpec(i, 3) });
        Assert.Equal(17, DatasetShards.Merge(shards, dir.File("merged." + ext)));
        if (ext == "parquet")
            Assert.Equal(SampleRows.ReadAll(dir.File("single.parquet")).Select(r => r.ToString()), SampleRows.ReadAll(dir.File("merged.parquet")).Select(r => r.ToString()));
        else
            Assert.Equal(File.ReadAllBytes(dir.File("single." + ext)), File.ReadAllBytes(dir.File("merged." + ext)));
    }

    [Fact]
    public void Another_seed_strategy_or_length_is_refused_on_resume_and_a_job_needs_a_seed()
    {
        using var dir = new TempFolder();
        using var model = OnnxCausalLanguageModel.Load(DefaultModels.EnsureDemoModel());
        var input = Prompts(dir, 6);
        var options = Options(input, dir.File("out.jsonl"));
        Run(model, options);
        Assert.Contains(Assert.Throws<JobMismatchException>(() => Run(model, options with { Generation = new GenerationOptions(maxNewTokens: 8, batchSize: 4, seed: 8) })).Differences,
            d => d.Contains("generation.seed"));
        Assert.Contains(Assert.Throws<JobMismatchException>(() => Run(model, options with { Strategy = new SamplingStrategy(new SamplingOptions(temperature: 0.5)) })).Differences,
            d => d.Contains("strategy.settings.Sampling"));
        Assert.Contains(Assert.Throws<JobMismatchException>(() => Run(model, options with { Generation = new GenerationOptions(maxNewTokens: 9, batchSize: 4, seed: 7) })).Differences,
            d => d.Contains("generation.max_new_tokens"));
        Assert.Equal(6, Run(model, options with { Generation = new GenerationOptions(maxNewTokens: 8, batchSize: 2, seed: 7) }).RowsAlreadyDone);
        Assert.Contains("seed", Assert.Throws<ArgumentException>(() => options with { Generation = new GenerationOptions(maxNewTokens: 8) }).Message);
        Assert.Contains("prompt file", Assert.Throws<ArgumentException>(() => new GenerationJob(new TextGenerator(model), options with { OutputPath = input })).Message);
    }

    private sealed class SyncProgress(Action<GenerationJobProgress> report) : IProgress<GenerationJobProgress>
    {
        public void Report(GenerationJobProgress value) => report(value);
    }
}
