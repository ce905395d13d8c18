using AlignedGen.Cli;
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
    private static string[] Args(string[] args) =>
        new[] { "generate", "--model", DefaultModels.EnsureDemoModel(), "--strategy", "greedy", "--max-new-tokens", "4" }.Concat(args).ToArray();

    private static int Generate(params string[] args) => Program.Main(Args(args));

    private static string Refusal(params string[] args) =>
        Assert.IsAssignableFrom<AlignedGen.Data.DataFileException>(Record.Exception(() => GenerateCommand.Run(CliArguments.Parse(Args(args)), TextWriter.Null))).Problem;

    [Fact]
    public void The_prompts_file_as_output_is_refused_and_left_unchanged()
    {
        using var temp = new TempFolder();
        var prompts = Path.Combine(temp.Path, "prompts.jsonl");
        const string text = "{\"id\":\"a\",\"prompt\":\"Once upon a time\"}\n";
        File.WriteAllText(prompts, text);
        var link = Path.Combine(temp.Path, "link.jsonl");
        File.CreateSymbolicLink(link, prompts);
        Assert.Contains("same file as the input", Refusal("--prompts", prompts, "--output", prompts));
        Assert.Contains("same file as the input", Refusal("--prompts", prompts, "--output", link));
        Assert.Equal(2, Generate("--prompts", prompts, "--output", link));
        Assert.Equal(text, File.ReadAllText(prompts));
    }

    [Fact]
    public void A_folder_as_output_is_a_usage_error_not_a_crash()
    {
        using var temp = new TempFolder();
        var prompts = Path.Combine(temp.Path, "prompts.jsonl");
        File.WriteAllText(prompts, "{\"prompt\":\"Once\"}\n");
        Assert.Contains("is a folder", Refusal("--prompts", prompts, "--output", temp.Path));
        Assert.Equal(2, Generate("--prompts", prompts, "--output", temp.Path));
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void A_completed_run_writes_the_output_and_leaves_no_temporary_file()
    {
        using var temp = new TempFolder();
        var output = Path.Combine(temp.Path, "out.jsonl");
        Assert.Equal(0, Generate("--prompt", "Once upon a time", "--prompt", "The cat", "--output", output, "--seed", "1"));
        Assert.Equal(2, File.ReadAllLines(output).Length);
        Assert.False(File.Exists(output + ".tmp"));
    }
}
