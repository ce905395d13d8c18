using System.Text.Json;
using AlignedGen.Tests.Data;
using AlignedGen.Tests.Hub;
using Xunit;

namespace AlignedGen.Tests.Cli;

/// <summary>
/// `--model hf:org/name` and `--reward hf:…` go through the core's Hub resolver: downloaded from a fake Hub on
/// 127.0.0.1 into the HF cache the environment names, then used exactly like the local folder.
/// </summary>
[Collection(nameof(RunsAlone))] // changes HF_* environment variables
public sealed class CliHubTests : IDisposable
{
    private static readonly string[] Names = { "HF_ENDPOINT", "HF_HUB_CACHE", "HF_HOME", "HF_TOKEN", "HF_HUB_OFFLINE" };
    private readonly Dictionary<string, string?> _saved = Names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
    private readonly HubTestKit _kit = new();

    public CliHubTests()
    {
        foreach (var name in Names) Environment.SetEnvironmentVariable(name, null);
        Environment.SetEnvironmentVariable("HF_ENDPOINT", _kit.Server.Endpoint);
        Environment.SetEnvironmentVariable("HF_HUB_CACHE", _kit.CacheDirectory);
        _kit.AddDemoRepository("org/demo");
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        _kit.Dispose();
    }

    private static string[] Responses(Cli.Result run) =>
        run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("response").GetString()!).ToArray();

    [Fact]
    public void Generate_with_a_hub_model_equals_the_local_folder_and_fills_the_hub_cache()
    {
        string[] Args(string model) => new[] { "generate", "--model", model, "--prompt", "Once upon a time", "--prompt", "She said",
            "--strategy", "greedy", "--max-new-tokens", "8", "--quiet" };
        var hub = Cli.Run(Args("hf:org/demo"));
        Assert.True(hub.Code == 0, hub.ToString());
        var local = Cli.Run(Args(HubTestKit.DemoFolder));
        Assert.True(local.Code == 0, local.ToString());
        Assert.Equal(Responses(local), Responses(hub));
        Assert.True(Directory.Exists(Path.Combine(_kit.CacheDirectory, "models--org--demo", "snapshots")), "the download went into the HF cache layout");
    }

    [SkippableFact]
    public void A_hub_reward_model_relabels_byte_for_byte_like_its_local_folder()
    {
        var rewardModel = SharedFolder.Require("models", "rm-llama-seqcls");
        _kit.Server.AddRepository("org/rm").AddFolder(rewardModel);
        using var temp = new TempFolder();
        var input = temp.File("rows.jsonl");
        File.WriteAllText(input, "{\"id\":\"a\",\"prompt\":\"Once upon a time\",\"response\":\" there was a happy dog.\"}\n"
            + "{\"id\":\"b\",\"prompt\":\"The girl\",\"response\":\" was sad and cried.\"}\n");
        var viaHub = Cli.Run("relabel", "--input", input, "--output", temp.File("hub.jsonl"), "--reward", "hf:org/rm", "--quiet");
        Assert.True(viaHub.Code == 0, viaHub.ToString());
        var local = Cli.Run("relabel", "--input", input, "--output", temp.File("local.jsonl"), "--reward", rewardModel, "--quiet");
        Assert.True(local.Code == 0, local.ToString());
        Assert.Equal(File.ReadAllText(temp.File("local.jsonl")), File.ReadAllText(temp.File("hub.jsonl")));
    }

    [Fact]
    public void An_unknown_hub_repository_is_a_usage_error_naming_it_with_a_fix()
    {
        var run = Cli.Run("generate", "--model", "hf:org/missing", "--prompt", "Hi", "--strategy", "greedy", "--quiet");
        Assert.Equal(2, run.Code);
        Assert.StartsWith("error: ", run.Error);
        Assert.Contains("org/missing", run.Error);
        Assert.Contains("Fix:", run.Error);
    }
}
