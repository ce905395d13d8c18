using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using AlignedGen.Tokenization;
using AlignedGen.Tests.ModelBuilding;

namespace AlignedGen.Tests.Decoding;

/// <summary>Builder models for the DARWIN tests (no shared/ needed): a sampling LM with varied output, a reward model with a known rule, chain LMs that write exact lists.</summary>
internal sealed class DarwinTestModels : IDisposable
{
    public const int Vocab = 16;
    private readonly TempFolder _temp = new();

    /// <summary>Per-token values of <see cref="MeanRewardOptions"/>: some tokens pay, some cost.</summary>
    public static readonly float[] TokenValues = { 0f, 0f, 0f, 1.5f, -1f, 0.5f, 2f, -0.5f, 0f, 1f, -2f, 0.25f, 3f, -1.5f, 0.75f, -0.25f };

    public TinyRewardModelOptions MeanRewardOptions { get; } = MeanReward(128);

    private static TinyRewardModelOptions MeanReward(int maxPositions) => new(TokenValues, RewardRule.PrefixMeanValue)
    {
        Architecture = Arch(seed: 11, maxPositions: maxPositions),
        SpecialTokens = new SpecialTokenIds(1, new[] { 2 }, 0, null),
    };

    /// <summary>An LM over ids "3 4 5" (IdTokenizer) with seeded random bigram logits plus a random, prefix-dependent attention term.</summary>
    public OnnxCausalLanguageModel RandomLm(ulong seed = 5)
    {
        var random = new Random((int)seed);
        var table = new float[Vocab, Vocab];
        for (int t = 0; t < Vocab; t++)
            for (int n = 0; n < Vocab; n++) table[t, n] = n == 2 ? 0.5f : n is 0 or 1 ? -30f : (float)(random.NextDouble() * 3 - 1.5);
        var options = new TinyDecoderOptions(table)
        {
            Architecture = Arch(seed, heads: 4, kvHeads: 2),
            Attention = AttentionContribution.Random,
            SpecialTokens = new SpecialTokenIds(1, new[] { 2 }, 0, null),
        };
        var folder = TinyDecoderBuilder.WriteFolder(options, _temp.Sub($"lm-{seed}"));
        return OnnxCausalLanguageModel.Load(folder, new IdTokenizer(Vocab, 1, 2));
    }

    /// <summary>A cached reward model: reward(ids) = mean of <see cref="TokenValues"/> over the ids (BOS included).</summary>
    public CachedDecoderRewardModel MeanRewardModel(int maxPositions = 128)
    {
        var folder = _temp.Sub($"rm-{maxPositions}");
        if (!Directory.Exists(folder)) TinyRewardModelBuilder.WriteCachedFolder(MeanReward(maxPositions), folder);
        return (CachedDecoderRewardModel)RewardModelLoader.FromFolder(folder, tokenizer: new IdTokenizer(Vocab, 1, 2));
    }

    /// <summary>A cached reward model over the test vocabulary with its own per-token values and rule (e.g. one token that pays).</summary>
    public CachedDecoderRewardModel RewardModel(string name, TinyRewardModelOptions options)
    {
        var folder = _temp.Sub("rm-" + name);
        if (!Directory.Exists(folder)) TinyRewardModelBuilder.WriteCachedFolder(options, folder);
        return (CachedDecoderRewardModel)RewardModelLoader.FromFolder(folder, tokenizer: new IdTokenizer(Vocab, 1, 2));
    }

    /// <summary>Reward-model options over the test vocabulary: <paramref name="values"/> per token id, combined by <paramref name="rule"/>.</summary>
    public static TinyRewardModelOptions RewardOptions(float[] values, RewardRule rule) => new(values, rule)
    {
        Architecture = Arch(seed: 13),
        SpecialTokens = new SpecialTokenIds(1, new[] { 2 }, 0, null),
    };

    /// <summary>An LM whose next token is almost surely <c>successors[last token]</c> (silent attention, logit gap 25).</summary>
    public OnnxCausalLanguageModel ChainLm(WordListTokenizer tokenizer, IReadOnlyList<int> successors, string name)
    {
        var options = new TinyDecoderOptions(BigramTable.FromSuccessors(successors, preferredLogit: 25f, otherLogit: 0f))
        {
            Architecture = Arch(7, maxPositions: 256),
            Attention = AttentionContribution.Silent,
            SpecialTokens = new SpecialTokenIds(1, new[] { 2 }, 0, null),
        };
        var folder = TinyDecoderBuilder.WriteFolder(options, _temp.Sub("chain-" + name));
        return OnnxCausalLanguageModel.Load(folder, tokenizer);
    }

    private static TinyTransformerArchitecture Arch(ulong seed, int heads = 2, int kvHeads = 2, int maxPositions = 128) =>
        new() { Layers = 2, Heads = heads, KvHeads = kvHeads, HeadSize = 8, MlpSize = 16, PositionFeatures = 8, ScratchDims = 8, MaxPositions = maxPositions, Seed = seed };

    public void Dispose() => _temp.Dispose();
}

/// <summary>A mutator that returns fixed rewrites: for a parent p, <c>rewrite(p, k)</c> for k = 0..count-1.</summary>
internal sealed class FixedMutator : IInstructionMutator
{
    private readonly Func<string, int, string> _rewrite;
    public FixedMutator(Func<string, int, string> rewrite) => _rewrite = rewrite;
    public int Calls { get; private set; }

    public IReadOnlyList<IReadOnlyList<DarwinMutation>> Mutate(DecodingContext context, IReadOnlyList<string> parents, int count, int rounds, int iteration, CancellationToken cancellationToken)
    {
        Calls++;
        return parents.Select(p => (IReadOnlyList<DarwinMutation>)Enumerable.Range(0, rounds).Select(r => new DarwinMutation
        {
            GeneratedText = "",
            Parsed = true,
            Instructions = Enumerable.Range(0, count).Select(k => _rewrite(p, r * count + k)).ToArray(),
        }).ToArray()).ToArray();
    }
}

/// <summary>Any reward source seen only through <see cref="IRewardSource"/> (forces DARWIN's text-scoring path).</summary>
internal sealed class OpaqueReward : IRewardSource
{
    private readonly IRewardSource _inner;
    public OpaqueReward(IRewardSource inner) => _inner = inner;
    public string Name => "opaque-" + _inner.Name;
    public int Calls { get; private set; }
    public float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default)
    {
        Calls++;
        return _inner.Score(queries, cancellationToken);
    }
}
