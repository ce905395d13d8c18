using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AlignedGen.ML.Tests;

/// <summary>The oracle: the core library called directly on the same prompts, and column readers for data views.</summary>
internal static class Direct
{
    public static IReadOnlyList<GenerationResult> Generate(IEnumerable<PromptRow> rows, IDecodingStrategy strategy, GenerationOptions options,
        string? rewardFolder = null, bool withReference = false)
    {
        using var lm = OnnxCausalLanguageModel.Load(TestModels.LanguageModel);
        using var rm = rewardFolder is null ? null : RewardModelLoader.FromFolder(rewardFolder);
        var requests = rows.Select(r => new GenerationRequest(r.Prompt, null, withReference && r.Reference.Length > 0 ? r.Reference : null)).ToList();
        return new TextGenerator(lm, rm).Generate(requests, strategy, options);
    }

    public static string[] Texts(IDataView view, string column) => view.GetColumn<ReadOnlyMemory<char>>(column).Select(m => m.ToString()).ToArray();

    public static float[] Floats(IDataView view, string column) => view.GetColumn<float>(column).ToArray();
}
