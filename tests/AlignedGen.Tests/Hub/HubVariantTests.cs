using AlignedGen.Hub;
using AlignedGen.Models;
using Xunit;

namespace AlignedGen.Tests.Hub;

/// <summary>Repositories with several model folders (onnxruntime-genai's layout): listing them, choosing one, or asking.</summary>
public sealed class HubVariantTests : IDisposable
{
    private const string CpuAcc4 = "cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4";
    private const string Cpu = "cpu_and_mobile/cpu-int4-rtn-block-32";
    private const string Cuda = "cuda/cuda-fp16";
    private readonly HubTestKit _kit = new();

    public HubVariantTests()
    {
        var repo = _kit.Server.AddRepository("microsoft/tiny-onnx");
        foreach (var variant in new[] { CpuAcc4, Cpu, Cuda }) repo.AddFolder(HubTestKit.DemoFolder, variant);
        repo.AddFile("README.md", "# variants\n");
        _kit.Server.AddRepository("org/one-cpu").AddFolder(HubTestKit.DemoFolder, Cpu).AddFolder(HubTestKit.DemoFolder, Cuda);
    }

    public void Dispose() => _kit.Dispose();

    [Fact]
    public async Task The_variants_are_listed()
    {
        using var downloader = _kit.Downloader();
        Assert.Equal([Cpu, CpuAcc4, Cuda], await downloader.ListVariantsAsync(HubModelReference.Parse("hf:microsoft/tiny-onnx")));
    }

    [Fact]
    public async Task Without_a_variant_and_two_for_the_device_the_error_lists_them_as_references()
    {
        using var downloader = _kit.Downloader();
        var error = await Assert.ThrowsAsync<HubException>(() => downloader.DownloadAsync(HubModelReference.Parse("hf:microsoft/tiny-onnx")));

        Assert.Equal(HubErrorKind.VariantRequired, error.Kind);
        Assert.Contains($"hf:microsoft/tiny-onnx/{Cpu}", error.Fix);
        Assert.Contains($"hf:microsoft/tiny-onnx/{CpuAcc4}", error.Fix);
        Assert.DoesNotContain(Cuda, error.Fix); // only the ones for the device
        Assert.Contains("-Subfolder", error.Fix);
        Assert.DoesNotContain(_kit.Server.Requests, r => r.IsTransfer);
    }

    [Fact]
    public async Task A_named_variant_downloads_only_its_own_folder()
    {
        using var downloader = _kit.Downloader();
        var folder = await downloader.DownloadAsync(HubModelReference.Parse($"hf:microsoft/tiny-onnx/{CpuAcc4}"));

        Assert.EndsWith(Path.Combine(CpuAcc4.Split('/')), folder.Path);
        Assert.All(_kit.Server.Requests.Where(r => r.IsTransfer && r.Host == "127.0.0.1"), r => Assert.Contains("/cpu-int4-rtn-block-32-acc-level-4/", r.Path));
        Assert.Equal(Directory.GetFiles(HubTestKit.DemoFolder).Length, folder.Files.Count);
        using var model = OnnxCausalLanguageModel.Load(folder.Path);
        Assert.Equal(259, model.Config.VocabularySize);
    }

    [Fact]
    public async Task The_only_variant_for_the_device_is_chosen_and_the_choice_is_noted()
    {
        using var downloader = _kit.Downloader();
        var cpu = await downloader.DownloadAsync(HubModelReference.Parse("hf:org/one-cpu"), ExecutionDevice.Cpu);
        var cuda = await downloader.DownloadAsync(HubModelReference.Parse("hf:org/one-cpu"), ExecutionDevice.Cuda);

        Assert.Equal(Cpu, cpu.Reference.Subfolder);
        Assert.Equal(Cuda, cuda.Reference.Subfolder);
        Assert.Contains(cpu.Notes, n => n.Contains($"hf:org/one-cpu/{Cpu}"));
    }

    [Fact]
    public async Task A_folder_without_a_graph_names_the_folders_that_have_one()
    {
        using var downloader = _kit.Downloader();
        var error = await Assert.ThrowsAsync<HubException>(() => downloader.DownloadAsync(HubModelReference.Parse("hf:microsoft/tiny-onnx/cpu_and_mobile")));

        Assert.Equal(HubErrorKind.NoOnnxModel, error.Kind);
        Assert.Contains("holds no ONNX graph", error.Problem);
        Assert.Contains($"hf:microsoft/tiny-onnx/{Cuda}", error.Fix);
    }

    [Fact]
    public async Task Offline_the_one_cached_variant_serves_a_reference_that_names_none()
    {
        using (var online = _kit.Downloader())
            await online.DownloadAsync(HubModelReference.Parse($"hf:microsoft/tiny-onnx/{Cpu}"));
        _kit.Server.ClearRequests();

        using var offline = _kit.Downloader(_kit.Options(offline: true));
        var folder = await offline.DownloadAsync(HubModelReference.Parse("hf:microsoft/tiny-onnx"));

        Assert.Equal(Cpu, folder.Reference.Subfolder);
        Assert.Empty(_kit.Server.Requests);
    }
}
