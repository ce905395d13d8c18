using AlignedGen.Data;
using AlignedGen.Decoding;
using AlignedGen.Generation;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Xunit;

namespace AlignedGen.Tests.Hostile;

/// <summary>
/// Hostile prompts and prompt files for the generation job: each bad row fails alone (finish_reason "error", its reason,
/// listed in &lt;output&gt;.errors.jsonl) and every other row is generated; FailFast stops instead.
/// </summary>
public static partial class HostileCases
{
    private const string FailsAlone = "a row with finish_reason \"error\" and the reason, listed in <output>.errors.jsonl; every other row is generated";

    private static IEnumerable<HostileCase> Generation() => new HostileCase[]
    {
        new("gen-empty-prompt", "generation", "an empty prompt and a whitespace-only prompt", FailsAlone, c =>
            ExpectFailedRows(c, "{\"id\":\"e\",\"prompt\":\"\"}\n{\"id\":\"w\",\"prompt\":\" \\t \"}", ("e", "is empty"), ("w", "is empty"))),
        new("gen-prompt-too-long", "generation", "a prompt longer than the model's context window", FailsAlone, c =>
            ExpectFailedRows(c, $"{{\"id\":\"l\",\"prompt\":\"{string.Join(" ", Enumerable.Repeat("the", DefaultModels.StoryContextLength + 50))}\"}}", ("l", "context window"))),
        new("gen-prompt-missing", "generation", "a row without the prompt column", FailsAlone, c =>
            ExpectFailedRows(c, "{\"id\":\"m\",\"text\":\"no prompt here\"}", ("m", "has no 'prompt'"))),
        new("gen-prompt-not-text", "generation", "a prompt that is a number or an object", FailsAlone, c =>
            ExpectFailedRows(c, "{\"id\":\"n\",\"prompt\":42}\n{\"id\":\"o\",\"prompt\":{\"a\":1}}", ("n", "not text"), ("o", "not text"))),
        new("gen-reward-fails-one-row", "generation", "a reward that throws on one prompt's responses (Best-of-N)", FailsAlone, c =>
            ExpectFailedRows(c, "{\"id\":\"x\",\"prompt\":\"The poison apple\"}", ("x", "cannot score poison"),
                reward: DelegateRewardSource.PerQuery("picky", q => q.Prompt.Contains("poison") ? throw new InvalidOperationException("cannot score poison") : q.Response.Length))),
        new("gen-fail-fast", "generation", "an empty prompt with FailFast", "the job stops at that row naming it (ArgumentException); the batches before it stay in the checkpoint", c =>
        {
            var input = c.Write("fail.jsonl", "{\"id\":\"a\",\"prompt\":\"Once\"}\n{\"id\":\"b\",\"prompt\":\"\"}\n");
            using var model = OnnxCausalLanguageModel.Load(DefaultModels.EnsureDemoModel());
            HostileContext.Fails<ArgumentException>(() => new GenerationJob(new TextGenerator(model), GenerationOptionsFor(input, c.File("out.jsonl")) with { FailFast = true }).Run(), "(id 'b') is empty");
            Assert.False(File.Exists(c.File("out.jsonl")));
        }),
        new("gen-output-is-input", "paths", "a generation job whose output is its prompt file", "ArgumentException naming the prompt file before anything is written", c =>
        {
            var input = c.Write("p.jsonl", "{\"id\":\"a\",\"prompt\":\"Once\"}\n");
            using var model = OnnxCausalLanguageModel.Load(DefaultModels.EnsureDemoModel());
            HostileContext.Fails<ArgumentException>(() => new GenerationJob(new TextGenerator(model), GenerationOptionsFor(input, input)), "prompt file");
            Assert.Equal("{\"id\":\"a\",\"prompt\":\"Once\"}\n", File.ReadAllText(input));
        }),
    };

    private static GenerationJobOptions GenerationOptionsFor(string input, string output, IDecodingStrategy? strategy = null) =>
        new(input, output, strategy ?? SamplingStrategy.Greedy) { Generation = new GenerationOptions(maxNewTokens: 4, batchSize: 4, seed: 1), WriteTimings = false };

    /// <summary>Writes two good prompts around <paramref name="badLines"/>, runs the job and checks each bad row failed alone with its reason.</summary>
    private static void ExpectFailedRows(HostileContext c, string badLines, (string Id, string Reason)[] expected, IRewardSource? reward = null)
    {
        var input = c.Write("prompts.jsonl", "{\"id\":\"good1\",\"prompt\":\"Once upon a time\"}\n" + badLines + "\n{\"id\":\"good2\",\"prompt\":\"The cat\"}\n");
        using var model = OnnxCausalLanguageModel.Load(DefaultModels.EnsureDemoModel());
        var strategy = reward is null ? (IDecodingStrategy)SamplingStrategy.Greedy : new BestOfNStrategy(new BestOfNOptions(2));
        var summary = new GenerationJob(new TextGenerator(model, reward), GenerationOptionsFor(input, c.File("out.jsonl"), strategy)).Run();
        Assert.Equal(expected.Length, summary.RowsFailed);
        var rows = c.ReadAll(c.File("out.jsonl"));
        Assert.Equal(2 + expected.Length, rows.Count);
        foreach (var good in rows.Where(r => r.GetText("id")!.StartsWith("good")))
            Assert.True(good.GetText("finish_reason") != "error" && good.GetNumber("tokens") > 0, good.ToString());
        var listed = c.ReadAll(summary.FailedRowsPath!);
        foreach (var (id, reason) in expected)
        {
            var row = rows.Single(r => r.GetText("id") == id);
            Assert.Equal("error", row.GetText("finish_reason"));
            Assert.Contains(reason, row.GetText("error"));
            Assert.Contains(listed, l => l.GetText("id") == id && l.GetText("error")!.Contains(reason));
        }
    }

    private static void ExpectFailedRows(HostileContext c, string badLines, params (string Id, string Reason)[] expected) => ExpectFailedRows(c, badLines, expected, null);

    private static void ExpectFailedRows(HostileContext c, string badLines, (string Id, string Reason) expected, IRewardSource reward) => ExpectFailedRows(c, badLines, new[] { expected }, reward);
}
