using AlignedGen.Evaluation;
using AlignedGen.Rewards;
using Xunit;

namespace AlignedGen.Tests.Evaluation;

/// <summary>Coherence = cosine of prompt and response embeddings, batched over distinct texts.</summary>
public class CoherenceMetricTests
{
    [Fact]
    public void Cosines_come_from_one_embedding_call_over_distinct_texts()
    {
        var embedder = new TableEmbedder(new()
        {
            ["p"] = new float[] { 3, 0 },
            ["q"] = new float[] { 0, 2 },
            ["same"] = new float[] { 1, 0 },
            ["diagonal"] = new float[] { 1, 1 },
            ["zero"] = new float[] { 0, 0 },
        });
        var metric = new CoherenceMetric(embedder);
        var result = metric.Compute(new[] { "p", "p", "q", "p", "q" }, new[] { "same", "diagonal", "diagonal", "zero", "p" });
        // cos((3,0),(1,0)) = 1; cos((3,0),(1,1)) = 1/√2; cos((0,2),(1,1)) = 1/√2; a zero vector gives 0; (0,2)·(3,0) = 0.
        var expected = new[] { 1, 1 / Math.Sqrt(2), 1 / Math.Sqrt(2), 0, 0 };
        Assert.Equal(expected.Length, result.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], result[i], 9);
        var call = Assert.Single(embedder.Calls);
        Assert.Equal(new[] { "p", "q", "same", "diagonal", "zero" }, call);
        Assert.Equal(5, metric.TextsEmbedded);

        // Prompts seen before are not embedded again.
        metric.Compute(new[] { "p", "new prompt" }, new[] { "same", "r" });
        Assert.Equal(new[] { "new prompt", "same", "r" }, embedder.Calls[^1]);
    }

    [Fact]
    public void Mismatched_or_null_inputs_are_argument_errors()
    {
        var metric = new CoherenceMetric(new TableEmbedder());
        Assert.Equal("responses", Assert.Throws<ArgumentException>(() => metric.Compute(new[] { "a" }, Array.Empty<string>())).ParamName);
        Assert.Equal("prompts", Assert.Throws<ArgumentException>(() => metric.Compute(new[] { (string)null! }, new[] { "b" })).ParamName);
        Assert.Throws<ArgumentNullException>(() => new CoherenceMetric(null!));
    }

    [Fact]
    public void With_MiniLM_a_related_response_is_more_coherent_than_an_unrelated_one()
    {
        using var embedder = MiniLmSentenceEmbedder.Create();
        var metric = new CoherenceMetric(embedder);
        var result = metric.Compute(new[] { "The cat sat on the mat.", "The cat sat on the mat." },
            new[] { "A cat was sitting on a rug.", "Stock markets fell sharply after the bank's report." });
        Assert.True(result[0] > result[1] + 0.3, $"related {result[0]:F3}, unrelated {result[1]:F3}");
        Assert.InRange(result[0], 0.5, 1.0);
    }
}
