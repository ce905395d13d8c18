using AlignedGen.FakeHub;
using AlignedGen.Hub;
using AlignedGen.ModelBuilding;
using AlignedGen.Tests.Data;

namespace AlignedGen.Tests.Hub;

/// <summary>
/// One fake Hub with an empty cache folder per test, and model folders to serve: the demo model written with external
/// data (model.onnx + model.onnx.data, about 1.7 MB, built here so the tests need no shared/ folder).
/// </summary>
public sealed class HubTestKit : IDisposable
{
    private static readonly Lazy<string> DemoWithExternalData = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), DefaultModels.DemoFolderName + "-external");
        if (File.Exists(Path.Combine(folder, "model.onnx.data"))) return folder;
        var demo = DefaultModels.CreateDemoOptions();
        var staging = folder + ".tmp-" + Guid.NewGuid().ToString("N");
        TinyDecoderBuilder.WriteFolder(new TinyDecoderOptions(demo.BigramLogits)
        {
            Architecture = demo.Architecture,
            Attention = demo.Attention,
            IncludePositionIds = demo.IncludePositionIds,
            ExternalData = true,
        }, staging);
        try
        {
            Directory.Move(staging, folder);
        }
        catch (IOException) when (File.Exists(Path.Combine(folder, "model.onnx.data")))
        {
            Directory.Delete(staging, recursive: true); // another test process wrote the same bytes first
        }
        return folder;
    });

    private readonly TempFolder _temp = new();

    public HubTestKit()
    {
        Server = new FakeHubServer();
        CacheDirectory = Path.Combine(_temp.Path, "hub");
    }

    public FakeHubServer Server { get; }

    public string CacheDirectory { get; }

    public HubCache Cache => new(CacheDirectory);

    /// <summary>The demo model folder with its weights in model.onnx.data (ExternalData = true).</summary>
    public static string DemoFolder => DemoWithExternalData.Value;

    /// <summary>Options for the fake Hub and this test's cache; no retries unless asked (faults stay visible).</summary>
    public HubOptions Options(string? token = null, bool offline = false, bool checkForUpdates = false, int maxRetries = 0) =>
        new(Server.Endpoint, token, CacheDirectory, offline, checkForUpdates, maxRetries, TimeSpan.FromSeconds(10));

    public HubModelDownloader Downloader(HubOptions? options = null) => new(options ?? Options());

    /// <summary>"org/demo" at the root: the demo model plus files a model folder does not need.</summary>
    public FakeHubRepository AddDemoRepository(string id = "org/demo")
    {
        var repo = Server.AddRepository(id).AddFolder(DemoFolder);
        repo.AddFile("README.md", "# demo\n");
        repo.AddFile(".gitattributes", "*.onnx filter=lfs diff=lfs merge=lfs -text\n");
        repo.AddFile("pytorch_model.bin", new byte[4096]);
        repo.AddFile("model.safetensors", new byte[4096]);
        return repo;
    }

    public string ReadText(string path) => File.ReadAllText(path);

    public void Dispose()
    {
        Server.Dispose();
        _temp.Dispose();
    }
}
