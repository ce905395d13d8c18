using AlignedGen.Hub;
using AlignedGen.Models;
using Xunit;

namespace AlignedGen.Tests.Hub;

/// <summary>Every way a Hub download can fail gives a <see cref="HubException"/> that names the model, the problem and the fix.</summary>
public sealed class HubErrorTests : IDisposable
{
    private readonly HubTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private async Task<HubException> Fails(string reference, HubOptions? options = null, ExecutionDevice device = ExecutionDevice.Cpu)
    {
        using var downloader = _kit.Downloader(options);
        return await Assert.ThrowsAsync<HubException>(() => downloader.DownloadAsync(HubModelReference.Parse(reference), device));
    }

    [Fact]
    public async Task An_unknown_repository_is_a_404_that_says_to_check_the_id()
    {
        var error = await Fails("hf:nobody/nothing");
        Assert.Equal(HubErrorKind.RepositoryNotFound, error.Kind);
        Assert.Equal(404, error.StatusCode);
        Assert.StartsWith("hf:nobody/nothing: ", error.Message);
        Assert.Contains("check the id", error.Fix);
    }

    [Fact]
    public async Task An_unknown_revision_says_so()
    {
        _kit.AddDemoRepository();
        var error = await Fails("hf:org/demo@v9");
        Assert.Equal(HubErrorKind.RevisionNotFound, error.Kind);
        Assert.Contains("branch, tag or commit", error.Fix);
    }

    [Fact]
    public async Task A_gated_repository_without_a_token_says_how_to_set_HF_TOKEN()
    {
        _kit.AddDemoRepository("org/gated").GatedToken = "hf_secret";
        var error = await Fails("hf:org/gated");
        Assert.Equal(HubErrorKind.AccessDenied, error.Kind);
        Assert.Equal(401, error.StatusCode);
        Assert.Contains("no token was sent", error.Problem);
        Assert.Contains("HF_TOKEN", error.Fix);
        Assert.Contains("$env:HF_TOKEN", error.Fix);
        Assert.Contains("huggingface.co/settings/tokens", error.Fix);
    }

    [Fact]
    public async Task A_gated_repository_with_a_token_without_access_says_to_accept_the_conditions()
    {
        _kit.AddDemoRepository("org/gated").GatedToken = "hf_secret";
        var error = await Fails("hf:org/gated", _kit.Options(token: "hf_other"));
        Assert.Equal(HubErrorKind.AccessDenied, error.Kind);
        Assert.Equal(403, error.StatusCode);
        Assert.Contains("not been granted access", error.Problem);
        Assert.Contains("accept the model's conditions", error.Fix);
    }

    [Fact]
    public async Task A_gated_repository_with_the_token_downloads_and_the_token_never_reaches_the_cdn()
    {
        _kit.AddDemoRepository("org/gated").GatedToken = "hf_secret";
        using var downloader = _kit.Downloader(_kit.Options(token: "hf_secret"));

        var folder = await downloader.DownloadAsync(HubModelReference.Parse("hf:org/gated"));

        Assert.True(File.Exists(Path.Combine(folder.Path, "model.onnx")));
        var requests = _kit.Server.Requests;
        Assert.All(requests.Where(r => r.Host == "127.0.0.1"), r => Assert.Equal("Bearer hf_secret", r.Authorization));
        Assert.Contains(requests, r => r.Host == "localhost");
        Assert.All(requests.Where(r => r.Host == "localhost"), r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task A_repository_without_onnx_files_lists_its_files_and_says_the_model_must_be_exported()
    {
        _kit.Server.AddRepository("org/pytorch-only").AddFile("config.json", "{}").AddFile("model.safetensors", new byte[100]).AddFile("tokenizer.json", "{}");
        var error = await Fails("hf:org/pytorch-only");
        Assert.Equal(HubErrorKind.NoOnnxModel, error.Kind);
        Assert.Contains("config.json, model.safetensors, tokenizer.json", error.Problem);
        Assert.Contains("optimum-cli export onnx --model org/pytorch-only", error.Fix);
    }

    [Fact]
    public async Task Offline_with_nothing_cached_names_HF_HUB_OFFLINE_and_asks_nothing()
    {
        _kit.AddDemoRepository();
        var error = await Fails("hf:org/demo", _kit.Options(offline: true));
        Assert.Equal(HubErrorKind.NotCached, error.Kind);
        Assert.Contains("HF_HUB_OFFLINE", error.Message);
        Assert.Empty(_kit.Server.Requests);
    }

    [Fact]
    public async Task Offline_after_a_download_loads_from_the_cache()
    {
        _kit.AddDemoRepository();
        using (var online = _kit.Downloader())
            await online.DownloadAsync(HubModelReference.Parse("hf:org/demo"));
        _kit.Server.ClearRequests();

        using var model = OnnxCausalLanguageModel.FromHub("org/demo", hub: _kit.Options(offline: true, checkForUpdates: true));

        Assert.Empty(_kit.Server.Requests);
        Assert.Equal(259, model.Config.VocabularySize);
    }

    [Fact]
    public async Task An_unreachable_hub_falls_back_to_the_cached_commit_or_says_it_cannot_be_reached()
    {
        _kit.AddDemoRepository();
        using (var online = _kit.Downloader())
            await online.DownloadAsync(HubModelReference.Parse("hf:org/demo"));
        var unreachable = new HubOptions("http://127.0.0.1:9", null, _kit.CacheDirectory, checkForUpdates: true, maxRetries: 0);

        using (var downloader = new HubModelDownloader(unreachable))
        {
            var cached = await downloader.DownloadAsync(HubModelReference.Parse("hf:org/demo"));
            Assert.True(cached.FromCache);
            Assert.Contains(cached.Notes, n => n.Contains("could not be reached"));
        }
        var error = await Fails("hf:org/other", unreachable);
        Assert.Equal(HubErrorKind.Unreachable, error.Kind);
        Assert.Contains("HF_HUB_OFFLINE", error.Fix);
    }

    [Fact]
    public async Task Too_little_disk_space_is_reported_before_anything_is_transferred()
    {
        _kit.AddDemoRepository();
        using var downloader = new HubModelDownloader(_kit.Options()) { FreeSpace = _ => 1000 };

        var error = await Assert.ThrowsAsync<HubException>(() => downloader.DownloadAsync(HubModelReference.Parse("hf:org/demo")));

        Assert.Equal(HubErrorKind.DiskFull, error.Kind);
        Assert.Contains("has 1 kB free", error.Problem);
        Assert.Contains("HF_HUB_CACHE", error.Fix);
        Assert.DoesNotContain(_kit.Server.Requests, r => r.IsTransfer && !r.Path.EndsWith("genai_config.json"));
    }

    [Fact]
    public void Disk_full_is_recognised_from_the_operating_systems_error()
    {
        Assert.True(DiskSpace.IsDiskFull(new IOException("No space left on device", OperatingSystem.IsWindows() ? unchecked((int)0x80070070) : 28)));
        Assert.False(DiskSpace.IsDiskFull(new IOException("Permission denied", 13)));
        Assert.False(DiskSpace.IsDiskFull(new InvalidOperationException()));
    }
}
