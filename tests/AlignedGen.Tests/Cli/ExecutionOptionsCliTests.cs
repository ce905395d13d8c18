using System.Text.Json;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Tests.ModelBuilding;
using Xunit;

namespace AlignedGen.Tests.Cli;

/// <summary>--memory-budget and --threads: parsed and checked before anything loads, and carried to the core.</summary>
public sealed class ExecutionOptionsCliTests
{
    private static readonly string[] Prompts = ["Once upon a time", "A", "The cat sat on the mat and looked", "Hello"];

    private static Cli.Result Generate(string model, params string[] args) =>
        Cli.Run(new[] { "generate", "--model", model, "--strategy", "greedy", "--max-new-tokens", "6", "--batch-size", "4", "--quiet" }
            .Concat(Prompts.SelectMany(p => new[] { "--prompt", p })).Concat(args).ToArray());

    private static string[] Texts(Cli.Result run) =>
        run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(r => r.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? "error: " + e.GetString() : r.GetProperty("response").GetString()!).ToArray();

    [Theory]
    [InlineData("0", "above 0 bytes")]
    [InlineData("-2GiB", "above 0 bytes")]
    [InlineData("lots", "'lots' is not a size")]
    public void ABadBudgetIsAUsageErrorNamingTheOption(string value, string problem)
    {
        var run = Generate(DefaultModels.EnsureDemoModel(), "--memory-budget", value);
        Assert.True(run.Code == 2, run.ToString());
        Assert.Contains($"--memory-budget {value}", run.Error);
        Assert.Contains(problem, run.Error);
    }

    [Fact]
    public void NegativeThreadsAreAUsageError()
    {
        var run = Generate(DefaultModels.EnsureDemoModel(), "--threads", "-1");
        Assert.True(run.Code == 2, run.ToString());
        Assert.Contains("--threads -1", run.Error);
    }

    [Fact]
    public void ABudgetForTwoRowsGivesTheWholeBatchsResponsesAndOneTooSmallForAnyRowNamesTheOption()
    {
        using var temp = new TempFolder();
        var o = ScaleModels.Options(DecoderFamily.Llama, GraphStyle.GenAi);
        var folder = DecoderModelBuilder.WriteFolder(o, temp.Path);
        using var model = OnnxCausalLanguageModel.Load(folder);
        long twoRows = model.CacheBytes(2, Prompts.Max(p => model.Tokenizer.Encode(p).Count) + 6);

        var whole = Generate(folder, "--threads", "1");
        var split = Generate(folder, "--threads", "1", "--memory-budget", twoRows.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(whole.Code == 0, whole.ToString());
        Assert.True(split.Code == 0, split.ToString());
        Assert.Equal(Texts(whole), Texts(split));
        Assert.Equal(Prompts.Length, Texts(whole).Length);

        var tooSmall = Generate(folder, "--memory-budget", "100B");
        Assert.True(tooSmall.Code == 1, tooSmall.ToString());          // every prompt an error row, none lost silently
        var errors = Texts(tooSmall);
        Assert.Equal(Prompts.Length, errors.Length);
        Assert.All(errors, e => Assert.Contains("Raise the memory budget (--memory-budget)", e));
        Assert.All(errors, e => Assert.DoesNotContain("GenerationOptions", e));

        // The resumable job writes its error rows (and OUTPUT.errors.jsonl) in the same words.
        var input = Path.Combine(temp.Path, "prompts.jsonl");
        File.WriteAllLines(input, Prompts.Select((p, i) => JsonSerializer.Serialize(new { id = $"p{i}", prompt = p })));
        var output = Path.Combine(temp.Path, "out.jsonl");
        var job = Cli.Run("generate", "--model", folder, "--strategy", "greedy", "--max-new-tokens", "6", "--quiet", "--input", input, "--output", output, "--memory-budget", "100B");
        Assert.True(job.Code == 1, job.ToString());
        foreach (var file in new[] { output, output + ".errors.jsonl" })
        {
            var rows = File.ReadAllLines(file);
            Assert.Equal(Prompts.Length, rows.Length);
            Assert.All(rows, r => Assert.Contains("Raise the memory budget (--memory-budget)", r));
        }
    }
}
