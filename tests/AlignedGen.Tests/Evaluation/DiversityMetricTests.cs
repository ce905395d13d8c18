using AlignedGen.Evaluation;
using Xunit;

namespace AlignedGen.Tests.Evaluation;

/// <summary>ARGS diversity against values counted by hand.</summary>
public class DiversityMetricTests
{
    [Theory]
    // Five distinct words: every n-gram is unique.
    [InlineData("a b c d e", 1.0)]
    // 2-grams ab ba ab ba ab: 2 unique of 5; 3-grams aba bab aba bab: 2 of 4; 4-grams abab baba abab: 2 of 3.
    [InlineData("a b a b a b", 2.0 / 5 * 2.0 / 4 * 2.0 / 3)]
    // 2-grams "the cat" twice of 4 (3 unique); every 3- and 4-gram unique.
    [InlineData("the cat the cat sat", 3.0 / 4)]
    // Words split on any white space, runs included.
    [InlineData("the\tcat \n the  cat\r\nsat", 3.0 / 4)]
    // 2-grams "a a" twice: 1 of 2; one 3-gram; no 4-gram (factor 1).
    [InlineData("a a a", 0.5)]
    // Too short for any 3- or 4-gram, one 2-gram: nothing repeats.
    [InlineData("a a", 1.0)]
    [InlineData("word", 1.0)]
    [InlineData("", 1.0)]
    [InlineData("   ", 1.0)]
    public void Text_diversity_is_the_product_of_unique_over_total_n_grams(string text, double expected)
        => Assert.Equal(expected, DiversityMetric.Compute(text), 12);

    [Fact]
    public void Token_sequences_are_measured_like_words()
    {
        Assert.Equal(2.0 / 5 * 2.0 / 4 * 2.0 / 3, DiversityMetric.Compute(new[] { 7, 9, 7, 9, 7, 9 }), 12);
        Assert.Equal(1.0, DiversityMetric.Compute(Array.Empty<int>()));
        // x y x y x y z → 2-grams: xy yx xy yx xy yz = 3 unique / 6; 3-grams: xyx yxy xyx yxy xyz = 3 / 5; 4-grams: xyxy yxyx xyxy yxyz = 3 / 4.
        Assert.Equal(3.0 / 6 * 3.0 / 5 * 3.0 / 4, DiversityMetric.Compute("x y x y x y z".Split(' ')), 12);
    }

    [Fact]
    public void Single_factors_and_bad_orders()
    {
        var words = "a b a b a b".Split(' ');
        Assert.Equal(2.0 / 5, DiversityMetric.Factor(words, 2), 12);
        Assert.Equal(2.0 / 6, DiversityMetric.Factor(words, 1), 12);
        Assert.Equal(1.0, DiversityMetric.Factor(words, 7));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DiversityMetric.Factor(words, 0));
        Assert.Equal("n", e.ParamName);
    }
}
