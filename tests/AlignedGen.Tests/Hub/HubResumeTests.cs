using System.Security.Cryptography;
using AlignedGen.Hub;
using Xunit;

namespace AlignedGen.Tests.Hub;

/// <summary>Interrupted transfers resume with a Range request; what arrives is checked against the size and hash the Hub reports.</summary>
public sealed class HubResumeTests : IDisposable
{
    private readonly HubTestKit _kit = new();

    public void Dispose() => _kit.Dispose();

    private string IncompletePath(FakeHub.FakeHubRepository repo, string path) =>
        _kit.Cache.IncompletePath(repo.Id, repo.Files[path].ETag);

    [Fact]
    public async Task A_download_cancelled_midway_keeps_its_part_and_the_next_run_resumes_it_with_a_range_request()
    {
        var repo = _kit.AddDemoRepository();
        var data = repo.Files["model.onnx.data"];
        using var stop = new CancellationTokenSource();
        var progress = new ImmediateProgress<HubDownloadProgress>(p =>
        {
            if (p.File == "model.onnx.data" && p.FileBytes >= 256 * 1024) stop.Cancel();
        });
        using (var downloader = _kit.Downloader())
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => downloader.DownloadAsync(HubModelReference.Parse("hf:org/demo"), progress: progress, cancellationToken: stop.Token));

        var part = new FileInfo(IncompletePath(repo, "model.onnx.data"));
        Assert.True(part.Exists);
        Assert.InRange(part.Length, 256 * 1024, data.Length - 1);
        Assert.False(File.Exists(Path.Combine(_kit.Cache.SnapshotFolder(repo.Id, repo.Commit), "model.onnx"))); // the graph is linked last
        _kit.Server.ClearRequests();

        using (var downloader = _kit.Downloader())
        {
            var folder = await downloader.DownloadAsync(HubModelReference.Parse("hf:org/demo"));
            Assert.Equal(data.Length - part.Length + repo.Files["model.onnx"].Length, folder.BytesTransferred); // the graph comes after its data
            Assert.Equal(File.ReadAllBytes(Path.Combine(HubTestKit.DemoFolder, "model.onnx.data")), File.ReadAllBytes(Path.Combine(folder.Path, "model.onnx.data")));
        }
        var resumed = _kit.Server.Requests.Single(r => r.IsTransfer && r.Path.EndsWith("/" + data.Sha256));
        Assert.Equal($"bytes={part.Length}-", resumed.Range);
        Assert.False(File.Exists(part.FullName));
    }

    [Fact]
    public async Task A_connection_that_breaks_off_is_resumed_within_the_call_when_retries_are_allowed()
    {
        var repo = _kit.AddDemoRepository();
        _kit.Server.DropConnectionAfter("model.onnx.data", 300_000);
        using var downloader = _kit.Downloader(_kit.Options(maxRetries: 2));

        var folder = await downloader.DownloadAsync(HubModelReference.Parse("hf:org/demo"));

        var transfers = _kit.Server.Requests.Where(r => r.IsTransfer && r.Path.EndsWith("/" + repo.Files["model.onnx.data"].Sha256)).ToList();
        Assert.Equal(2, transfers.Count);
        Assert.Null(transfers[0].Range);
        Assert.Equal("bytes=300000-", transfers[1].Range);
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(Path.Combine(HubTestKit.DemoFolder, "model.onnx.data"))),
            SHA256.HashData(File.ReadAllBytes(Path.Combine(folder.Path, "model.onnx.data"))));
    }

    [Fact]
    public async Task Without_retries_a_broken_transfer_fails_clearly_and_keeps_its_part_for_the_next_run()
    {
        var repo = _kit.AddDemoRepository();
        _kit.Server.DropConnectionAfter("model.onnx.data", 200_000);
        using var downloader = _kit.Downloader();

        var error = await Assert.ThrowsAsync<HubException>(() => downloader.DownloadAsync(HubModelReference.Parse("hf:org/demo")));

        Assert.Equal(HubErrorKind.Unreachable, error.Kind);
        Assert.Contains("model.onnx.data", error.Message);
        Assert.Contains("resumes", error.Fix);
        Assert.Equal(200_000, new FileInfo(IncompletePath(repo, "model.onnx.data")).Length);
        var folder = await downloader.DownloadAsync(HubModelReference.Parse("hf:org/demo"));
        Assert.Equal("bytes=200000-", _kit.Server.Requests.Last(r => r.IsTransfer && r.Path.Contains(repo.Files["model.onnx.data"].Sha256)).Range);
        Assert.True(File.Exists(Path.Combine(folder.Path, "model.onnx")));
    }

    [Fact]
    public async Task A_server_that_ignores_the_range_makes_the_transfer_start_over_and_the_file_is_still_right()
    {
        var repo = _kit.AddDemoRepository();
        _kit.Server.DropConnectionAfter("model.onnx.data", 100_000);
        _kit.Server.IgnoreRange = true;
        using var downloader = _kit.Downloader(_kit.Options(maxRetries: 1));

        var folder = await downloader.DownloadAsync(HubModelReference.Parse("hf:org/demo"));

        Assert.Equal(File.ReadAllBytes(Path.Combine(HubTestKit.DemoFolder, "model.onnx.data")), File.ReadAllBytes(Path.Combine(folder.Path, "model.onnx.data")));
        Assert.Equal(repo.Files["model.onnx.data"].Length, new FileInfo(_kit.Cache.BlobPath(repo.Id, repo.Files["model.onnx.data"].ETag)).Length);
    }

    [Theory]
    [InlineData("model.onnx.data", "SHA-256")]   // LFS: checked against X-Linked-Etag
    [InlineData("config.json", "git blob id")]   // regular file: checked against its git oid
    public async Task A_file_whose_hash_differs_from_the_hubs_is_deleted_and_reported(string path, string algorithm)
    {
        var repo = _kit.AddDemoRepository();
        _kit.Server.Corrupt(path);
        using var downloader = _kit.Downloader();

        var error = await Assert.ThrowsAsync<HubException>(() => downloader.DownloadAsync(HubModelReference.Parse("hf:org/demo")));

        Assert.Equal(HubErrorKind.IntegrityCheckFailed, error.Kind);
        Assert.Contains(algorithm, error.Problem);
        Assert.Contains(repo.Files[path].ETag, error.Problem);
        Assert.False(File.Exists(_kit.Cache.BlobPath(repo.Id, repo.Files[path].ETag)));
        Assert.False(File.Exists(IncompletePath(repo, path)));
        Assert.False(File.Exists(Path.Combine(_kit.Cache.SnapshotFolder(repo.Id, repo.Commit), path)));
    }

    [Fact]
    public async Task Failing_answers_are_retried()
    {
        _kit.AddDemoRepository();
        _kit.Server.FailNextRequests(2, status: 503);
        using var downloader = _kit.Downloader(_kit.Options(maxRetries: 2));

        var folder = await downloader.DownloadAsync(HubModelReference.Parse("hf:org/demo"));

        Assert.True(File.Exists(Path.Combine(folder.Path, "model.onnx")));
        Assert.Equal(3, _kit.Server.Requests.Count(r => r.Path.StartsWith("/api/models/")));
    }

    [Fact]
    public async Task Two_downloads_of_one_model_at_once_share_the_blobs_and_both_succeed()
    {
        var repo = _kit.AddDemoRepository();
        using var first = _kit.Downloader();
        using var second = _kit.Downloader();

        var folders = await Task.WhenAll(
            first.DownloadAsync(HubModelReference.Parse("hf:org/demo")),
            second.DownloadAsync(HubModelReference.Parse("hf:org/demo")));

        Assert.Equal(folders[0].Path, folders[1].Path);
        Assert.Equal(1, _kit.Server.Requests.Count(r => r.IsTransfer && r.Path.EndsWith("/" + repo.Files["model.onnx.data"].Sha256)));
    }
}
