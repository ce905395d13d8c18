using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.ML.Transforms;

/// <summary>The models of one transformer, opened once and shared by all its cursors (ONNX Runtime sessions are thread-safe for runs).</summary>
internal sealed class LoadedModels : IDisposable
{
    private readonly OpenedSources _opened;

    private LoadedModels(OpenedSources opened, OnnxCausalLanguageModel? lm, IRewardSource? reward)
    {
        _opened = opened;
        LanguageModel = lm;
        Reward = reward;
    }

    /// <summary>The LM, or null for reward-only transforms.</summary>
    public OnnxCausalLanguageModel? LanguageModel { get; }

    /// <summary>The reward, or null when the transform has none.</summary>
    public IRewardSource? Reward { get; }

    /// <summary>Opens the LM in <paramref name="modelFolder"/> (when given) and the reward (when given).</summary>
    public static LoadedModels Open(string? modelFolder, ExecutionOptions? execution, RewardReference? reward)
    {
        var opened = new OpenedSources();
        try
        {
            var lm = modelFolder is null ? null : opened.Own(OnnxCausalLanguageModel.Load(modelFolder, execution));
            return new LoadedModels(opened, lm, opened.OpenOrNull(reward));
        }
        catch
        {
            opened.Dispose();
            throw;
        }
    }

    public void Dispose() => _opened.Dispose();
}
