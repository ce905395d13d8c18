using AlignedGen.Models;
using AlignedGen.Rewards;
using Xunit;

namespace AlignedGen.Tests.Rewards;

/// <summary>The loader on hand-made folders: missing pieces, config-driven detection, token-id-only models.</summary>
public sealed class RewardModelLoaderTests
{
    private static string FolderWith(byte[] model, string name, string? configJson = null)
    {
        var path = TinyOnnx.WriteTemp(model, name);
        if (configJson is not null) File.WriteAllText(Path.Combine(Path.GetDirectoryName(path)!, "config.json"), configJson);
        return Path.GetDirectoryName(path)!;
    }

    [Fact]
    public void Missing_folder_or_model_file_is_a_model_folder_exception()
    {
        var missing = Path.Combine(Path.GetTempPath(), "alignedgen-tests", "no-such-rm-" + Guid.NewGuid().ToString("N"));
        Assert.Contains("does not exist", Assert.Throws<ModelFolderException>(() => RewardModelLoader.FromFolder(missing)).Problem);
        var empty = Directory.CreateDirectory(missing).FullName;
        var e = Assert.Throws<ModelFolderException>(() => RewardModelLoader.FromFolder(empty));
        Assert.Contains("no model.onnx", e.Problem);
        Assert.Contains("model.onnx", e.Fix);
    }

    [Fact]
    public void A_folder_without_tokenizer_needs_token_ids()
    {
        var folder = FolderWith(TinyOnnx.MaxIdRewardModel(), "rm-no-tokenizer");
        Assert.Throws<ModelFolderException>(() => RewardModelLoader.FromFolder(folder));
        using var rm = RewardModelLoader.FromFolder(folder, new RewardModelOptions { UseTokenIds = true });
        Assert.Null(rm.Tokenizer);
        Assert.Equal(new float[] { 9 }, rm.Score(new[] { new RewardQuery("", "") { PromptTokenIds = new[] { 1, 4 }, ResponseTokenIds = new[] { 9, 2 } } }));
        Assert.Throws<InvalidOperationException>(() => rm.Score(new[] { new RewardQuery("text only", "no ids") }));
    }

    [Fact]
    public void Config_model_type_of_an_encoder_family_marks_a_graph_without_token_types_as_encoder()
    {
        var folder = FolderWith(TinyOnnx.MaxIdRewardModel(), "rm-distilbert", """{ "model_type": "distilbert", "max_position_embeddings": 128 }""");
        Assert.Equal(RewardModelKind.EncoderSequenceClassification, RewardModelLoader.DetectKind(folder));
        using var rm = RewardModelLoader.FromFolder(folder, new RewardModelOptions { UseTokenIds = true, InputFormat = RewardInputFormat.Template("{prompt} {response}", addBos: false) });
        Assert.Equal(128, rm.MaxLength);
        var decoder = FolderWith(TinyOnnx.MaxIdRewardModel(), "rm-llama-like", """{ "model_type": "llama" }""");
        Assert.Equal(RewardModelKind.DecoderSequenceClassification, RewardModelLoader.DetectKind(decoder));
    }

    [Fact]
    public void Invalid_config_json_names_the_file()
    {
        var folder = FolderWith(TinyOnnx.MaxIdRewardModel(), "rm-bad-config", "{ not json");
        var e = Assert.Throws<ModelFolderException>(() => RewardModelLoader.DetectKind(folder));
        Assert.EndsWith("config.json", e.Path);
    }

    [Fact]
    public void The_path_of_an_onnx_file_is_accepted()
    {
        var path = TinyOnnx.WriteTemp(TinyOnnx.MaxIdRewardModel(withTokenTypes: true), "rm-by-file");
        Assert.Equal(RewardModelKind.EncoderSequenceClassification, RewardModelLoader.DetectKind(path));
    }
}
