using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.ML.Transforms;

/// <summary>The models of one transformer, opened once and shared by all its cursors (ONNX Runtime sessions are thread-safe for runs).</summary>
internal sealed class LoadedModels : IDisposable
{
    private readonly List<IDisposable> _owned = new();

    private LoadedModels(OnnxCausalLanguageModel? lm, IRewardSource? reward)
    {
        LanguageModel = lm;
        Reward = reward;
    }

    /// <summary>The LM, or null for reward-only transforms.</summary>
    public OnnxCausalLanguageModel? LanguageModel { get; }

    /// <summary>The reward, or null when the transform has none.</summary>
    public IRewardSource? Reward { get; }

    /// <summary>Opens the LM in <paramref name="modelFolder"/> (when given) and the reward (when given).</summary>
    public static LoadedModels Open(string? modelFolder, ExecutionOptions? execution, RewardSpec? reward)
    {
        OnnxCausalLanguageModel? lm = null;
        try
        {
            if (modelFolder is not null) lm = OnnxCausalLanguageModel.Load(modelFolder, execution);
            IRewardSource? source = null;
            IDisposable? owned = null;
            if (reward is not null) (source, owned) = reward.Open();
            var models = new LoadedModels(lm, source);
            if (lm is not null) models._owned.Add(lm);
            if (owned is not null) models._owned.Add(owned);
            return models;
        }
        catch
        {
            lm?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
        _owned.Clear();
    }
}
