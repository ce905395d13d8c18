using AlignedGen.ModelBuilding;
using Xunit;
using TempFolder = AlignedGen.Tests.ModelBuilding.TempFolder;

namespace AlignedGen.Tests.Cli;

/// <summary>
/// What `aligngen` does with its command line before any model loads: help everywhere, version, misspellings as errors
/// with a suggestion, values checked in the core's words, response files, completion, exit codes.
/// </summary>
public class CliParsingTests
{
    public static TheoryData<string> Commands => new() { "demo", "generate", "relabel", "merge", "pairs", "compare", "report", "info", "tokenize", "completion" };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_command_has_help_under_all_three_spellings(string command)
    {
        foreach (var flag in new[] { "--help", "-h", "-?" })
        {
            var run = Cli.Run(command, flag);
            Assert.True(run.Code == 0, $"{command} {flag}: {run}");
            // In-process the root's name is the test host's; CliProcessTests checks "aligngen" itself.
            Assert.Matches($@"Usage:\s+\S+ {command}", run.Out);
            Assert.Equal("", run.Error);
        }
        Assert.Equal(Cli.Run(command, "--help").Out, Cli.Run("help", command).Out);
    }

    [Fact]
    public void The_root_help_lists_every_command_and_the_exit_codes()
    {
        var run = Cli.Run("--help");
        Assert.Equal(0, run.Code);
        foreach (var command in Commands) Assert.Contains("  " + command, run.Out);
        Assert.Contains("0 ok, 1 some rows failed (the rest were written), 2 usage or input error, 130 cancelled", run.Out);
    }

    [Theory]
    [InlineData("generate --model m --prompt x --temprature 1", "--temprature", "--temperature")]
    [InlineData("generate --model m --prompt x --max-new-token 4", "--max-new-token", "--max-new-tokens")]
    [InlineData("generate --model m --prompt x --outptu out.jsonl", "--outptu", "--output")]
    [InlineData("relabel -i a.jsonl -o b.jsonl -r proxy --skip-bad-record", "--skip-bad-record", "--skip-bad-records")]
    [InlineData("compare --model m --output o --settting greedy", "--settting", "--setting")]
    public void A_misspelled_option_is_an_error_with_a_suggestion_and_nothing_runs(string line, string typed, string meant)
    {
        var run = Cli.Run(line.Split(' '));
        Assert.Equal(2, run.Code);
        Assert.Contains($"error: unknown option '{typed}'", run.Error);
        Assert.Contains($"Did you mean '{meant}'?", run.Error);
        Assert.Contains("--help' for usage.", run.Error);
        Assert.Equal("", run.Out);
        // One error for the option, none for the value that followed it.
        Assert.Single(run.Error.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_misspelled_command_is_an_error_with_a_suggestion()
    {
        var run = Cli.Run("gnerate", "--model", "m");
        Assert.Equal(2, run.Code);
        Assert.Contains("error: unknown command 'gnerate'. Did you mean 'generate'?", run.Error);
    }

    [Theory]
    [InlineData("--top-p 2", "--top-p 2: Top-p must be in (0, 1], got 2. Use 1 to turn nucleus sampling off.")]
    [InlineData("--k 0", "--k 0: ARGS top-k must be at least 1, got 0. The paper uses 10.")]
    [InlineData("--max-new-tokens 0", "--max-new-tokens 0: Max new tokens must be at least 1, got 0.")]
    [InlineData("--batch-size -3", "--batch-size -3: Batch size must be at least 1, got -3.")]
    [InlineData("--temperature -1", "--temperature -1: Temperature must be 0 (greedy) or more, got -1. Use e.g. 0.7.")]
    [InlineData("--device cuda:-1", "--device cuda:-1: Device 'cuda:-1' is not one of cpu, cuda, cuda:N (N = the CUDA ordinal, 0 for the first GPU).")]
    [InlineData("--device tpu", "--device tpu: Device 'tpu' is not one of cpu, cuda, cuda:N (N = the CUDA ordinal, 0 for the first GPU).")]
    [InlineData("--chat-template vicuna", "--chat-template vicuna: 'vicuna' is not a built-in chat format.")]
    [InlineData("--limit 0", "--limit 0: must be at least 1, got 0.")]
    [InlineData("--strategy beam", "--strategy beam: Strategy spec 'beam': unknown strategy 'beam'.")]
    public void Typed_values_are_checked_by_the_core_and_reported_in_its_words_without_dotnet_noise(string option, string expected)
    {
        var run = Cli.Run(("generate --model m --prompt x " + option).Split(' '));
        Assert.Equal(2, run.Code);
        Assert.Contains("error: " + expected, run.Error);
        Assert.DoesNotContain("(Parameter", run.Error);
        Assert.DoesNotContain("Actual value", run.Error);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_a_parse_error()
    {
        var run = Cli.Run("generate", "--model", "m", "--prompt", "x", "--max-new-tokens", "lots");
        Assert.Equal(2, run.Code);
        Assert.Contains("'lots'", run.Error);
        Assert.Contains("--max-new-tokens", run.Error);
    }

    [Fact]
    public void A_shorthand_the_strategy_has_no_key_for_is_an_error_not_ignored()
    {
        var run = Cli.Run("generate", "--model", "m", "--prompt", "x", "--strategy", "args", "--n", "3");
        Assert.Equal(2, run.Code);
        Assert.Contains("error: --strategy \"args n=3\": unknown key 'n' for args.", run.Error);
        var sample = Cli.Run("generate", "--model", "m", "--prompt", "x", "--strategy", "greedy", "--temperature", "0.5");
        Assert.Equal(2, sample.Code);
        Assert.Contains("unknown key 't' for greedy", sample.Error);
    }

    [Theory]
    [InlineData("--shard 2/2", "--shard 2/2: Shard index must be in 0..1 for 2 shard(s). Fix: number shards from 0.")]
    [InlineData("--shard half", "--shard half: 'half' is not a shard. Fix: write INDEX/COUNT (0-based, e.g. 0/4 for the first of four), auto (from a Slurm job array or Kubernetes Indexed Job) or auto/COUNT.")]
    [InlineData("--batch-size 0", "--batch-size 0: BatchSize must be in 1..1,000,000.")]
    [InlineData("--resume --force", "--resume and --force contradict each other")]
    public void Relabel_options_are_checked_before_anything_is_read(string option, string expected)
    {
        var run = Cli.Run(("relabel -i in.jsonl -o out.jsonl -r proxy " + option).Split(' '));
        Assert.Equal(2, run.Code);
        Assert.Contains(expected, run.Error);
        Assert.DoesNotContain("(Parameter", run.Error);
    }

    [Fact]
    public void Missing_inputs_are_input_errors_that_name_the_input()
    {
        var model = Cli.Run("generate", "--model", "/nonexistent/model", "--prompt", "x", "--strategy", "greedy");
        Assert.Equal(2, model.Code);
        Assert.Contains("/nonexistent/model: the model folder does not exist.", model.Error);
        using var temp = new TempFolder();
        var input = Cli.Run("relabel", "-i", temp.Sub("missing.jsonl"), "-o", temp.Sub("out.jsonl"), "-r", "proxy");
        Assert.Equal(2, input.Code);
        Assert.Contains("missing.jsonl: the file does not exist.", input.Error);
    }

    [Fact]
    public void Response_files_hold_arguments_one_per_line()
    {
        using var temp = new TempFolder();
        var demo = DefaultModels.EnsureDemoModel();
        var rsp = temp.Sub("args.rsp");
        File.WriteAllLines(rsp, new[] { "# a comment line", "tokenize", "--tokenizer " + demo, "--json", "\"Hello there\"" });
        var fromFile = Cli.Run("@" + rsp);
        Assert.True(fromFile.Code == 0, fromFile.ToString());
        Assert.Equal(Cli.Run("tokenize", "--tokenizer", demo, "--json", "Hello there").Out, fromFile.Out);
        Assert.Contains("\"text\":\"Hello there\"", fromFile.Out);
    }

    [Fact]
    public void Shell_completion_comes_from_the_parser_and_each_shell_gets_a_script()
    {
        static string[] Suggest(string line) => Cli.Run($"[suggest:{line.Length}]", line).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("generate", Suggest("aligngen gen"));
        Assert.Contains("--max-new-tokens", Suggest("aligngen generate --max"));
        Assert.Contains("darwin", Suggest("aligngen generate --strategy "));
        Assert.Contains("cuda:0", Suggest("aligngen relabel --device "));
        Assert.Contains("chatml", Suggest("aligngen compare --chat-template "));
        foreach (var shell in new[] { "bash", "zsh", "pwsh", "fish" })
        {
            var script = Cli.Run("completion", shell);
            Assert.Equal(0, script.Code);
            Assert.Contains("[suggest:", script.Out);
        }
        Assert.Equal(2, Cli.Run("completion", "tcsh").Code);
    }
}
