using AlignedGen.Decoding;
using AlignedGen.Generation;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Tests.Data;
using AlignedGen.Tests.Relabeling;
using Xunit;
using Xunit.Abstractions;

namespace AlignedGen.Tests.Generation;

/// <summary>
/// Kills a sampling generation job for real (SIGKILL) in a child process — once while a batch is being decoded, once by
/// a timer — then resumes it in a child: every prompt appears exactly once and the output equals an uninterrupted
/// in-process run byte for byte (rows for Parquet), for JSONL, CSV and Parquet outputs.
/// </summary>
public class GenerationCrashTests(ITestOutputHelper log)
{
    private const int Prompts = 60;
    private const int BatchSize = 5;

    [Theory]
    [InlineData("out.jsonl")]
    [InlineData("out.csv")]
    [InlineData("out.parquet")]
    public void A_generation_job_killed_mid_run_resumes_to_the_same_output_with_every_prompt_once(string name)
    {
        using var dir = new TempFolder();
        var folder = DefaultModels.EnsureDemoModel();
        var input = GenerationJobTests.Prompts(dir, Prompts);
        var output = dir.File(name);
        using (var model = OnnxCausalLanguageModel.Load(folder))
        {
            var clean = new GenerationJobOptions(input, dir.File("clean-" + name), GenerationJobTests.Sampling) { Generation = Options(), WriteTimings = false };
            new GenerationJob(new TextGenerator(model), clean).Run();
        }
        var checkpoint = output + ".checkpoint.jsonl";
        string[] Child(int sleepMs, int? blockAt) =>
            new[] { "generate", input, output, folder, BatchSize.ToString(), sleepMs.ToString() }.Concat(blockAt is { } b ? new[] { b.ToString() } : Array.Empty<string>()).ToArray();

        // Killed while decoding its 4th batch: exactly 3 batches are durable.
        ChildJob.KillWhenBlocked(output + ".blocked", Child(0, 3));
        Assert.Equal(15, File.ReadAllLines(checkpoint).Length);
        Assert.False(File.Exists(output));

        // Resumed, and killed by a timer once the checkpoint has grown past 8 batches (40 rows, more than 40 lines' bytes).
        var minimum = File.ReadAllBytes(checkpoint).Length * 8 / 3;
        var at = ChildJob.KillAfterGrowth(checkpoint, minimum, Child(30, null));
        log.WriteLine($"timed kill at {at} bytes; checkpoint then {new FileInfo(checkpoint).Length} bytes");

        var (already, generated, done) = ChildJob.RunToCompletion(Child(0, null));
        log.WriteLine($"resume: {done}");
        Assert.Equal(Prompts, already + generated);
        Assert.True(already >= 15, done);
        var rows = SampleRows.ReadAll(output);
        Assert.Equal(Enumerable.Range(0, Prompts).Select(i => $"q{i:D4}"), rows.Select(r => r.GetText("id")));
        if (name.EndsWith(".parquet", StringComparison.Ordinal))
            Assert.Equal(SampleRows.ReadAll(dir.File("clean-" + name)).Select(r => r.ToString()), rows.Select(r => r.ToString()));
        else
            Assert.Equal(File.ReadAllBytes(dir.File("clean-" + name)), File.ReadAllBytes(output));
    }

    private static GenerationOptions Options() => new(maxNewTokens: 8, batchSize: BatchSize, seed: 7);
}
