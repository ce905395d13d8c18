using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Tests.Decoding;

/// <summary>
/// The builder models the CARDS and Speculative Rejection tests share: <see cref="DarwinTestModels.RandomLm"/> and the
/// mean-value reward model, plus the reward of a whole sequence scored from scratch (the plain references' reward).
/// </summary>
internal sealed class BuilderModelPair : IDisposable
{
    public BuilderModelPair()
    {
        Models = new DarwinTestModels();
        Lm = Models.RandomLm();
        Rm = Models.MeanRewardModel();
    }

    public DarwinTestModels Models { get; }
    public OnnxCausalLanguageModel Lm { get; }
    public CachedDecoderRewardModel Rm { get; }

    /// <summary>reward(prompt ⊕ response) from a fresh reward-model state.</summary>
    public float RewardFromScratch(IReadOnlyList<int> prompt, IReadOnlyList<int> response) => FromScratch(Rm, prompt, response);

    /// <summary>reward(prompt ⊕ response) from a fresh state of <paramref name="rm"/>.</summary>
    public static float FromScratch(CachedDecoderRewardModel rm, IReadOnlyList<int> prompt, IReadOnlyList<int> response)
    {
        using var state = rm.CreateState();
        state.Extend(new[] { prompt.Concat(response).ToArray() });
        return state.Output(0)[0];
    }

    public void Dispose()
    {
        Lm.Dispose();
        Rm.Dispose();
        Models.Dispose();
    }
}
