using System.Security.Cryptography;
using AlignedGen.Decoding;
using AlignedGen.Hub;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using Xunit;

namespace AlignedGen.Tests.Hub;

/// <summary>Downloads from the fake Hub into the Hub cache layout: what is fetched, where it lands, and when nothing is asked.</summary>
public sealed class HubDownloadTests : IDisposable
{
    private readonly HubTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [Fact]
    public async Task Downloads_only_the_model_files_into_the_python_cache_layout()
    {
        var repo = _kit.AddDemoRepository();
        using var downloader = _kit.Downloader();

        var folder = await downloader.DownloadAsync(HubModelReference.Parse("hf:org/demo"));

        var repoFolder = Path.Combine(_kit.CacheDirectory, "models--org--demo");
        Assert.Equal(Path.Combine(repoFolder, "snapshots", repo.Commit), folder.Path);
        Assert.Equal(repo.Commit, File.ReadAllText(Path.Combine(repoFolder, "refs", "main"))); // verbatim, no newline
        var expected = Directory.GetFiles(HubTestKit.DemoFolder).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(expected, Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order().ToArray());
        Assert.DoesNotContain(_kit.Server.Requests, r => r.Path.EndsWith("pytorch_model.bin") || r.Path.EndsWith("model.safetensors") || r.Path.EndsWith("README.md"));
        foreach (var name in expected)
        {
            var pointer = Path.Combine(folder.Path, name!);
            var file = repo.Files[name!];
            var link = new FileInfo(pointer).LinkTarget;
            Assert.Equal($"../../blobs/{file.ETag}", link); // relative, as huggingface_hub links them
            Assert.Equal(SHA256.HashData(File.ReadAllBytes(Path.Combine(HubTestKit.DemoFolder, name!))), SHA256.HashData(File.ReadAllBytes(pointer)));
        }
        Assert.True(repo.Files["model.onnx.data"].IsLfs);
        Assert.True(File.Exists(Path.Combine(repoFolder, "blobs", repo.Files["model.onnx.data"].Sha256)));
        Assert.True(File.Exists(Path.Combine(repoFolder, "blobs", repo.Files["config.json"].GitOid)));
        Assert.Empty(Directory.GetFiles(Path.Combine(repoFolder, "blobs"), "*.incomplete"));
        Assert.False(folder.FromCache);
        Assert.Equal(Directory.GetFiles(HubTestKit.DemoFolder).Sum(f => new FileInfo(f).Length), folder.BytesTransferred);
    }

    [Fact]
    public async Task A_second_download_is_served_from_the_cache_without_a_request()
    {
        _kit.AddDemoRepository();
        using var downloader = _kit.Downloader();
        var first = await downloader.DownloadAsync(HubModelReference.Parse("hf:org/demo"));
        _kit.Server.ClearRequests();

        var second = await downloader.DownloadAsync(HubModelReference.Parse("hf:org/demo"));
        var byCommit = await downloader.DownloadAsync(HubModelReference.Parse($"hf:org/demo@{first.Commit}"));

        Assert.Empty(_kit.Server.Requests);
        Assert.True(second.FromCache);
        Assert.Equal(first.Path, second.Path);
        Assert.Equal(first.Path, byCommit.Path);
        Assert.Equal(0, second.BytesTransferred);
    }

    [Fact]
    public async Task The_downloaded_folder_loads_and_decodes_as_the_original_folder_does()
    {
        _kit.AddDemoRepository();
        var progress = new List<HubDownloadProgress>();

        using var fromHub = OnnxCausalLanguageModel.FromHub("hf:org/demo", hub: _kit.Options(), progress: new ImmediateProgress<HubDownloadProgress>(progress.Add));
        using var local = OnnxCausalLanguageModel.Load(HubTestKit.DemoFolder);

        var options = new GenerationOptions(maxNewTokens: 24, seed: 3);
        var prompts = GenerationRequest.FromPrompts(["The cat", "Once upon"]);
        var expected = new TextGenerator(local).Generate(prompts, new SamplingStrategy(SamplingOptions.Greedy), options).Select(r => r.Text);
        var actual = new TextGenerator(fromHub).Generate(prompts, new SamplingStrategy(SamplingOptions.Greedy), options).Select(r => r.Text);
        Assert.Equal(expected, actual);
        Assert.StartsWith(_kit.CacheDirectory, fromHub.Folder);
        var last = progress[^1];
        Assert.Equal(last.FilesTotal, last.FilesDone);
        Assert.Equal(last.BytesTotal, last.BytesDone);
        Assert.Equal(100, last.PercentComplete);
        Assert.Contains(progress, p => p.File == "model.onnx.data" && p.FileBytes > 0 && p.FileBytes < p.FileTotal);
    }

    [Fact]
    public async Task Check_for_updates_asks_once_and_follows_a_new_commit_on_main()
    {
        var repo = _kit.AddDemoRepository();
        using (var downloader = _kit.Downloader())
            await downloader.DownloadAsync(HubModelReference.Parse("hf:org/demo"));
        var oldCommit = repo.Commit;
        _kit.Server.ClearRequests();

        using var checking = _kit.Downloader(_kit.Options(checkForUpdates: true));
        var same = await checking.DownloadAsync(HubModelReference.Parse("hf:org/demo"));
        Assert.Equal(oldCommit, same.Commit);
        Assert.Single(_kit.Server.Requests); // the listing; every blob was already there
        Assert.DoesNotContain(_kit.Server.Requests, r => r.IsTransfer);

        repo.AddFile("tokenizer_config.json", "{\"chat_template\": \"{{ messages }}\", \"model_max_length\": 512}");
        _kit.Server.ClearRequests();
        var updated = await checking.DownloadAsync(HubModelReference.Parse("hf:org/demo"));

        Assert.NotEqual(oldCommit, updated.Commit);
        Assert.Equal(updated.Commit, _kit.Cache.ReadRef("org/demo", "main"));
        Assert.Equal(["tokenizer_config.json"], _kit.Server.Requests.Where(r => r.IsTransfer).Select(r => r.Path.Split('/')[^1]));
        Assert.True(File.Exists(Path.Combine(updated.Path, "tokenizer_config.json")));
        Assert.True(Directory.Exists(Path.Combine(_kit.CacheDirectory, "models--org--demo", "snapshots", oldCommit))); // the old snapshot stays
    }

    [Fact]
    public async Task Listings_without_blob_metadata_are_completed_with_head_requests()
    {
        var repo = _kit.AddDemoRepository();
        _kit.Server.OmitBlobMetadata = true;
        using var downloader = _kit.Downloader();

        var folder = await downloader.DownloadAsync(HubModelReference.Parse("hf:org/demo"));

        Assert.Contains(_kit.Server.Requests, r => r.Method == "HEAD" && r.Path.EndsWith("/model.onnx.data"));
        Assert.True(File.Exists(Path.Combine(_kit.CacheDirectory, "models--org--demo", "blobs", repo.Files["model.onnx.data"].Sha256)));
        Assert.True(File.Exists(Path.Combine(folder.Path, "model.onnx")));
    }

    [Fact]
    public async Task External_data_named_only_inside_the_graph_is_found_by_reading_the_graph()
    {
        // A graph saved as weights.onnx keeps its data in weights.onnx.data; published as model.onnx, only the graph says so.
        var graph = TinyDecoderBuilder.BuildGraph(DefaultModels.CreateDemoOptions());
        var source = Path.Combine(_kit.CacheDirectory + "-source");
        Directory.CreateDirectory(source);
        graph.Save(Path.Combine(source, "weights.onnx"), externalData: true);
        var repo = _kit.Server.AddRepository("org/renamed");
        foreach (var name in Directory.GetFiles(HubTestKit.DemoFolder).Select(Path.GetFileName).Where(n => !n!.StartsWith("model.onnx")))
            repo.AddLocalFile(name!, Path.Combine(HubTestKit.DemoFolder, name!));
        repo.AddLocalFile("model.onnx", Path.Combine(source, "weights.onnx"));
        repo.AddLocalFile("weights.onnx.data", Path.Combine(source, "weights.onnx.data"));
        repo.AddLocalFile("unrelated.onnx.data", Path.Combine(source, "weights.onnx.data"));
        using var downloader = _kit.Downloader();

        var folder = await downloader.DownloadAsync(HubModelReference.Parse("hf:org/renamed"));

        Assert.True(File.Exists(Path.Combine(folder.Path, "weights.onnx.data")));
        Assert.False(File.Exists(Path.Combine(folder.Path, "unrelated.onnx.data")));
        using var model = OnnxCausalLanguageModel.Load(folder.Path);
        Assert.Equal(259, model.Config.VocabularySize);
    }
}
