using AlignedGen.Decoding;
using Xunit;

namespace AlignedGen.Tests.Decoding;

public class SpeculativeRejectionOptionsTests
{
    [Fact]
    public void Defaults_are_the_authors_runs()
    {
        var o = SpeculativeRejectionOptions.Default;
        Assert.Equal((16, 0.5, 8), (o.Samples, o.Alpha, o.FirstDecision));
        Assert.Equal((1.0, 50), (o.Sampling.Temperature, o.Sampling.TopK));
        Assert.Null(o.DecisionPoints);
    }

    [Theory]
    [InlineData(0.5, 8, 128, new[] { 8, 16, 32, 64 })]
    [InlineData(0.5, 8, 64, new[] { 8, 16, 32 })]
    [InlineData(0.75, 4, 100, new[] { 4, 16, 64 })]
    [InlineData(0.3, 5, 30, new[] { 5, 8, 12, 18, 26 })]
    [InlineData(0.01, 2, 6, new[] { 2, 3, 4, 5 })]
    public void The_schedule_grows_by_one_over_one_minus_alpha_as_the_authors_memory_bound_rounds(double alpha, int first, int max, int[] expected)
        => Assert.Equal(expected, new SpeculativeRejectionOptions(alpha: alpha, firstDecision: first).Schedule(max));

    [Theory]
    [InlineData(0.5, 5, 2)]   // 2.5 rounds half to even, as Python's round
    [InlineData(0.5, 7, 4)]   // 3.5 → 4
    [InlineData(0.5, 1, 1)]   // never below one
    [InlineData(0.9, 3, 1)]
    [InlineData(0.3, 10, 7)]
    public void The_kept_count_rounds_as_the_authors_code_but_keeps_at_least_one(double alpha, int pool, int kept)
        => Assert.Equal(kept, new SpeculativeRejectionOptions(alpha: alpha).KeepCount(pool));

    [Fact]
    public void Explicit_decision_points_replace_the_schedule()
        => Assert.Equal(new[] { 3, 9 }, new SpeculativeRejectionOptions(decisionPoints: new[] { 3, 9, 40 }).Schedule(40));

    public static TheoryData<Func<SpeculativeRejectionOptions>, string, string> Invalid => new()
    {
        { () => new SpeculativeRejectionOptions(samples: 0), "samples", "0" },
        { () => new SpeculativeRejectionOptions(alpha: 0), "alpha", "0" },
        { () => new SpeculativeRejectionOptions(alpha: 1), "alpha", "1" },
        { () => new SpeculativeRejectionOptions(firstDecision: 0), "firstDecision", "0" },
        { () => new SpeculativeRejectionOptions(decisionPoints: Array.Empty<int>()), "decisionPoints", "empty" },
        { () => new SpeculativeRejectionOptions(decisionPoints: new[] { 8, 8 }), "decisionPoints", "8, 8" },
        { () => new SpeculativeRejectionOptions(sampling: SamplingOptions.Greedy), "sampling", "temperature 0" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_options_name_the_parameter_the_value_and_the_fix(Func<SpeculativeRejectionOptions> create, string parameter, string value)
        => OptionsErrors.NamesParameterValueAndFix(create, parameter, value, "(Use|use|Give|The authors)");
}
