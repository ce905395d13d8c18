using AlignedGen.ModelBuilding;
using Xunit;
using TempFolder = AlignedGen.Tests.ModelBuilding.TempFolder;

namespace AlignedGen.Tests.Cli;

/// <summary>
/// `aligngen generate --output` goes through the core's OutputFile: the prompts file (by any path or link) and a folder
/// are refused with exit code 2 before anything is loaded or written (they overwrote the prompts with exit 0 and crashed
/// with exit 134); the output appears only complete.
/// </summary>
public class GenerateOutputTests
{
    private static Cli.Result Generate(params string[] args) =>
        Cli.Run(new[] { "generate", "--model", DefaultModels.EnsureDemoModel(), "--strategy", "greedy", "--max-new-tokens", "4", "--quiet" }.Concat(args).ToArray());

    [Fact]
    public void The_prompts_file_as_output_is_refused_and_left_unchanged()
    {
        using var temp = new TempFolder();
        var prompts = Path.Combine(temp.Path, "prompts.jsonl");
        const string text = "{\"id\":\"a\",\"prompt\":\"Once upon a time\"}\n";
        File.WriteAllText(prompts, text);
        var link = Path.Combine(temp.Path, "link.jsonl");
        File.CreateSymbolicLink(link, prompts);
        foreach (var output in new[] { prompts, link })
        {
            var run = Generate("--prompts", prompts, "--output", output, "--force");
            Assert.True(run.Code == 2, run.ToString());
            Assert.Contains("same file as the input", run.Error);
        }
        Assert.Equal(text, File.ReadAllText(prompts));
    }

    [Fact]
    public void A_folder_as_output_is_a_usage_error_not_a_crash()
    {
        using var temp = new TempFolder();
        var prompts = Path.Combine(temp.Path, "prompts.jsonl");
        File.WriteAllText(prompts, "{\"prompt\":\"Once\"}\n");
        var run = Generate("--prompts", prompts, "--output", temp.Path);
        Assert.True(run.Code == 2, run.ToString());
        Assert.Contains("is a folder", run.Error);
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void A_completed_run_writes_the_output_and_leaves_no_temporary_file()
    {
        using var temp = new TempFolder();
        var output = Path.Combine(temp.Path, "out.jsonl");
        var run = Generate("--prompt", "Once upon a time", "--prompt", "The cat", "--output", output, "--seed", "1");
        Assert.True(run.Code == 0, run.ToString());
        Assert.Equal(2, File.ReadAllLines(output).Length);
        Assert.False(File.Exists(output + ".tmp"));
    }
}
