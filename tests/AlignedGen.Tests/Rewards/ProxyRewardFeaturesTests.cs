using AlignedGen.Rewards;
using Xunit;

namespace AlignedGen.Tests.Rewards;

/// <summary>Kim &amp; Seo's proxy-reward features on hand-computed examples.</summary>
public sealed class ProxyRewardFeaturesTests
{
    [Theory]
    [InlineData("  Hello there.\n\n### Instruction: write more", "Hello there.")]
    [InlineData("\nA story.\n\n\n\nUnrelated text", "A story.")]
    [InlineData("One.\n\nHuman: and another question", "One.")]
    [InlineData("a\n\n--b ### Response: c", "a")]
    [InlineData("no marker here \n", "no marker here")]
    [InlineData("### Response: everything after", "")]
    [InlineData("", "")]
    public void PrepareText_cuts_at_the_earliest_marker_and_trims(string input, string expected)
        => Assert.Equal(expected, ProxyRewardFeatures.PrepareText(input));

    [Fact]
    public void PrepareText_accepts_custom_markers()
    {
        Assert.Equal("x", ProxyRewardFeatures.PrepareText("x END y", new[] { "END" }));
        Assert.Equal("x\n\n\n\ny", ProxyRewardFeatures.PrepareText("x\n\n\n\ny", Array.Empty<string>()));
    }

    [Fact]
    public void Words_are_wordpunct_tokens()
    {
        // nltk.wordpunct_tokenize("Hello, world! It's 3.5") == ['Hello', ',', 'world', '!', 'It', "'", 's', '3', '.', '5']
        Assert.Equal(new[] { "Hello", ",", "world", "!", "It", "'", "s", "3", ".", "5" }, ProxyRewardFeatures.Words("Hello, world! It's 3.5"));
        Assert.Equal(10, ProxyRewardFeatures.CountWords("Hello, world! It's 3.5"));
        Assert.Equal(new[] { "?!", "ok" }, ProxyRewardFeatures.Words("?! ok"));
        Assert.Empty(ProxyRewardFeatures.Words("  \n "));
    }

    [Fact]
    public void Length_incentive_is_words_over_100()
    {
        Assert.Equal(0.03, ProxyRewardFeatures.LengthIncentive("a b c"), 12);
        Assert.Equal(0.0, ProxyRewardFeatures.LengthIncentive(""));
        Assert.Equal(1.5, ProxyRewardFeatures.LengthIncentive(string.Join(' ', Enumerable.Repeat("w", 150))), 12);
    }

    [Theory]
    [InlineData("the cat the cat the cat", 0.5)]   // trigrams: (the cat the) ×2, (cat the cat) ×2 → 2 unique / 4
    [InlineData("a b c d", 1.0)]                  // (a b c), (b c d)
    [InlineData("a a a a a", 1.0 / 3)]            // (a a a) ×3
    [InlineData("a b", 1.0)]                      // no trigram
    [InlineData("", 1.0)]
    public void Repetition_penalty_is_unique_over_all_word_trigrams(string text, double expected)
        => Assert.Equal(expected, ProxyRewardFeatures.RepetitionPenalty(text), 12);

    [Fact]
    public void Relevance_is_cosine_similarity()
    {
        Assert.Equal(0.96, ProxyRewardFeatures.Relevance(new float[] { 3, 4 }, new float[] { 4, 3 }), 6);
        Assert.Equal(-1.0, ProxyRewardFeatures.Relevance(new float[] { 1, 0 }, new float[] { -2, 0 }), 12);
        Assert.Equal(0.0, ProxyRewardFeatures.Relevance(new float[] { 0, 0 }, new float[] { 1, 1 }));
        Assert.Throws<ArgumentException>(() => ProxyRewardFeatures.Relevance(new float[] { 1 }, new float[] { 1, 2 }));
    }

    [Fact]
    public void Reward_formulas()
    {
        Assert.Equal(0.5 * 0.2 * 0.8, ProxyRewardFeatures.OpenEndedReward(0.5, 0.2, 0.8), 12);
        Assert.Equal(0.5 * 0.7 / 3.5 * 5.12, ProxyRewardFeatures.ConstrainedReward(0.5, 0.7), 12);
        Assert.Equal(0.5 * 0.7 / 2.0 * 2.56, ProxyRewardFeatures.ConstrainedReward(0.5, 0.7, maxSequenceLength: 256, relevanceScale: 2.0), 12);
    }

    [Fact]
    public void ExtractQuery_removes_role_markers()
    {
        Assert.Equal("What is up?", ProxyRewardFeatures.ExtractQuery("\n\nHuman: What is up?\n\nAssistant:"));
        Assert.Equal("Write a poem. about cats", ProxyRewardFeatures.ExtractQuery("### Instruction:\nWrite a poem.\n\n### Input:\nabout cats\n\n### Response:"));
    }
}
