using AlignedGen.Rewards;
using Xunit;

namespace AlignedGen.Tests.Rewards;

/// <summary>The proxy reward's composition, with a table embedder whose cosines are known.</summary>
public sealed class ProxyRewardSourceTests
{
    private sealed class TableEmbedder : ISentenceEmbedder
    {
        private readonly Dictionary<string, float[]> _table;
        public TableEmbedder(Dictionary<string, float[]> table) => _table = table;
        public List<int> CallSizes { get; } = new();
        public string Name => "table";
        public int Dimension => 2;
        public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
        {
            CallSizes.Add(texts.Count);
            return texts.Select(t => _table.TryGetValue(t, out var v) ? v : throw new KeyNotFoundException($"no embedding for '{t}'")).ToArray();
        }
    }

    private static TableEmbedder Table() => new(new()
    {
        ["q1"] = new float[] { 1, 0 },
        ["r1 r1 r1 r2"] = new float[] { 1, 1 },
        ["ref"] = new float[] { 0, 1 },
        ["a b a b a b"] = new float[] { 3, 4 },
        [""] = new float[] { 0.6f, 0.8f },
    });

    [Fact]
    public void Open_ended_and_constrained_rewards_follow_the_formulas()
    {
        var embedder = Table();
        var source = new ProxyRewardSource(embedder);
        var queries = new[]
        {
            new RewardQuery("\n\nHuman: q1\n\nAssistant:", "r1 r1 r1 r2\n\nHuman: more"),
            new RewardQuery("anything", "a b a b a b", Reference: "ref"),
            new RewardQuery("q1", ""),
        };
        var details = source.ScoreDetailed(queries);
        // Row 0: prepared "r1 r1 r1 r2": LI 0.04, RP 2/2 = 1, Rel cos([1,0],[1,1]) = 1/√2.
        Assert.Equal("r1 r1 r1 r2", details[0].PreparedResponse);
        Assert.Equal(0.04, details[0].LengthIncentive, 12);
        Assert.Equal(1.0, details[0].RepetitionPenalty, 12);
        Assert.Equal(1 / Math.Sqrt(2), details[0].Relevance, 6);
        Assert.False(details[0].Constrained);
        Assert.Equal(0.04 / Math.Sqrt(2), details[0].Reward, 6);
        // Row 1: constrained, RP 2/4, Rel cos([0,1],[3,4]) = 0.8 → 0.5 · 0.8 / 3.5 · 5.12.
        Assert.True(details[1].Constrained);
        Assert.Equal(0.5 * 0.8 / 3.5 * 5.12, details[1].Reward, 6);
        // Row 2: empty response → LI 0 → reward 0 (documented).
        Assert.Equal(0.0, details[2].Reward);
        Assert.Equal(1.0, details[2].RepetitionPenalty);
        // All distinct texts in one embedding call: anchors "q1" (rows 0 and 2) and "ref", plus 3 responses.
        Assert.Equal(new[] { 5 }, embedder.CallSizes);
        Assert.Equal(details.Select(d => (float)d.Reward).ToArray(), source.Score(queries));
        // Anchors are cached across calls: the second call embeds only the 3 responses.
        Assert.Equal(new[] { 5, 3 }, embedder.CallSizes);
    }

    [Fact]
    public void Features_can_be_switched_off()
    {
        var noRelevance = new ProxyRewardSource(null, new ProxyRewardOptions { UseRelevance = false });
        // Without relevance there is no constrained branch: RP · LI.
        var scores = noRelevance.Score(new[] { new RewardQuery("q", "a b a b a b", Reference: "ref"), new RewardQuery("q", "x y") });
        Assert.Equal(new[] { (float)(0.5 * 0.06), 0.02f }, scores);
        var onlyLength = new ProxyRewardSource(null, new ProxyRewardOptions { UseRelevance = false, UseRepetitionPenalty = false });
        Assert.Equal(0.06f, onlyLength.Score(new[] { new RewardQuery("q", "a b a b a b") })[0]);
        var noBranch = new ProxyRewardSource(Table(), new ProxyRewardOptions { UseReferenceBranch = false, ExtractQuery = _ => "ref" });
        // Open-ended formula against the extracted query "ref": 0.5 · 0.06 · 0.8.
        Assert.Equal(0.5 * 0.06 * 0.8, noBranch.ScoreDetailed(new[] { new RewardQuery("x", "a b a b a b", Reference: "ref") })[0].Reward, 6);
    }

    [Fact]
    public void Missing_embedder_and_bad_options_are_rejected()
    {
        Assert.Equal("embedder", Assert.Throws<ArgumentNullException>(() => new ProxyRewardSource(null)).ParamName);
        Assert.Equal("RelevanceScale", Assert.Throws<ArgumentOutOfRangeException>(() => new ProxyRewardOptions { RelevanceScale = 0 }).ParamName);
        Assert.Equal("MaxSequenceLength", Assert.Throws<ArgumentOutOfRangeException>(() => new ProxyRewardOptions { MaxSequenceLength = -1 }).ParamName);
    }

    [Fact]
    public void An_embedder_returning_the_wrong_count_is_a_reward_source_error()
    {
        var bad = new ProxyRewardSource(new ShortEmbedder());
        var e = Assert.Throws<RewardSourceException>(() => bad.Score(new[] { new RewardQuery("q", "r") }));
        Assert.Equal("proxy-reward", e.SourceName);
    }

    private sealed class ShortEmbedder : ISentenceEmbedder
    {
        public string Name => "short";
        public int Dimension => 1;
        public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) => new[] { new float[] { 1 } };
    }
}
