using AlignedGen.Hub;
using Xunit;

namespace AlignedGen.Tests.Hub;

/// <summary>The HF_* variables are read as huggingface_hub's constants.py and _auth.py read them.</summary>
[Collection(nameof(RunsAlone))] // changes environment variables
public sealed class HubEnvironmentTests : IDisposable
{
    private static readonly string[] Names =
    {
        "HF_HOME", "HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "XDG_CACHE_HOME", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH",
        "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_ENDPOINT",
    };
    private readonly Dictionary<string, string?> _saved = Names.ToDictionary(n => n, Environment.GetEnvironmentVariable);
    private readonly Data.TempFolder _temp = new();

    public HubEnvironmentTests()
    {
        foreach (var name in Names) Environment.SetEnvironmentVariable(name, null);
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        _temp.Dispose();
    }

    [Fact]
    public void Defaults_are_the_python_ones()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var options = HubOptions.FromEnvironment();
        Assert.Equal("https://huggingface.co", options.Endpoint);
        Assert.Equal(Path.Combine(home, ".cache", "huggingface", "hub"), options.CacheDirectory);
        Assert.False(options.Offline);
    }

    [Fact]
    public void The_cache_follows_XDG_CACHE_HOME_then_HF_HOME_then_HF_HUB_CACHE()
    {
        Environment.SetEnvironmentVariable("XDG_CACHE_HOME", _temp.File("xdg"));
        Assert.Equal(Path.Combine(_temp.File("xdg"), "huggingface", "hub"), HubOptions.FromEnvironment().CacheDirectory);
        Environment.SetEnvironmentVariable("HF_HOME", _temp.File("hf-home"));
        Assert.Equal(Path.Combine(_temp.File("hf-home"), "hub"), HubOptions.FromEnvironment().CacheDirectory);
        Environment.SetEnvironmentVariable("HUGGINGFACE_HUB_CACHE", _temp.File("legacy"));
        Assert.Equal(_temp.File("legacy"), HubOptions.FromEnvironment().CacheDirectory);
        Environment.SetEnvironmentVariable("HF_HUB_CACHE", "~/hf-cache");
        Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "hf-cache"), HubOptions.FromEnvironment().CacheDirectory);
    }

    [Fact]
    public void The_token_comes_from_HF_TOKEN_else_the_login_file()
    {
        Environment.SetEnvironmentVariable("HF_HOME", _temp.Path);
        Assert.Null(HubOptions.FromEnvironment().Token);
        File.WriteAllText(_temp.File("token"), "hf_from_file\n");
        Assert.Equal("hf_from_file", HubOptions.FromEnvironment().Token);
        Environment.SetEnvironmentVariable("HF_TOKEN_PATH", _temp.File("elsewhere"));
        File.WriteAllText(_temp.File("elsewhere"), "hf_elsewhere");
        Assert.Equal("hf_elsewhere", HubOptions.FromEnvironment().Token);
        Environment.SetEnvironmentVariable("HUGGING_FACE_HUB_TOKEN", "hf_legacy");
        Assert.Equal("hf_legacy", HubOptions.FromEnvironment().Token);
        Environment.SetEnvironmentVariable("HF_TOKEN", "hf_env");
        Assert.Equal("hf_env", HubOptions.FromEnvironment().Token);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("TRUE", true)]
    [InlineData("on", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    public void HF_HUB_OFFLINE_takes_the_python_true_values(string value, bool offline)
    {
        Environment.SetEnvironmentVariable("HF_HUB_OFFLINE", value);
        Assert.Equal(offline, HubOptions.FromEnvironment().Offline);
    }

    [Fact]
    public void HF_ENDPOINT_is_used_without_its_trailing_slash_and_must_be_http()
    {
        Environment.SetEnvironmentVariable("HF_ENDPOINT", "http://127.0.0.1:8080/");
        Assert.Equal("http://127.0.0.1:8080", HubOptions.FromEnvironment().Endpoint);
        Environment.SetEnvironmentVariable("HF_ENDPOINT", "ftp://mirror");
        var error = Assert.Throws<ArgumentException>(() => HubOptions.FromEnvironment());
        Assert.Contains("HF_ENDPOINT", error.Message);
    }
}
