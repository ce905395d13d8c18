using AlignedGen.Decoding;
using AlignedGen.Evaluation;
using Xunit;

namespace AlignedGen.Tests.Evaluation;

/// <summary>Setting specs: labels, families, parameters, strategies, and errors that name the spec, key and fix.</summary>
public class ComparisonSettingSpecTests
{
    [Fact]
    public void Args_spec_gives_label_family_parameters_and_strategy()
    {
        var s = ComparisonSettingSpec.Parse("args w=1.5 k=10");
        Assert.Equal("args w=1.5", s.Label);
        Assert.Equal("args-greedy", s.Family);
        Assert.Equal(new Dictionary<string, double> { ["w"] = 1.5, ["k"] = 10 }, s.Parameters);
        var args = Assert.IsType<ArgsStrategy>(s.Strategy);
        Assert.Equal((10, 1.5, false), (args.Options.TopK, args.Options.Weight, args.Options.Stochastic));
        Assert.Null(s.Options);

        Assert.Equal("args w=1 k=5", ComparisonSettingSpec.Parse("ARGS k=5").Label);
        Assert.Equal("args w=2", ComparisonSettingSpec.Parse("args-greedy w=2").Label);
        var stochastic = ComparisonSettingSpec.Parse("args-stochastic w=2 t=0.5");
        Assert.Equal(("args-stochastic w=2 t=0.5", "args-stochastic"), (stochastic.Label, stochastic.Family));
        Assert.Equal((true, 0.5), (((ArgsStrategy)stochastic.Strategy).Options.Stochastic, ((ArgsStrategy)stochastic.Strategy).Options.Temperature));
    }

    [Fact]
    public void Sampling_best_of_n_greedy_and_darwin_specs()
    {
        var greedy = ComparisonSettingSpec.Parse("greedy");
        Assert.Equal(("greedy", "greedy", 0), (greedy.Label, greedy.Family, greedy.Parameters.Count));
        Assert.Equal(0, Assert.IsType<SamplingStrategy>(greedy.Strategy).Sampling.Temperature);

        var sample = ComparisonSettingSpec.Parse("sample t=1 top-p=0.9");
        Assert.Equal("sample t=1 top-p=0.9", sample.Label);
        var sampling = Assert.IsType<SamplingStrategy>(sample.Strategy).Sampling;
        Assert.Equal((1.0, 0, 0.9), (sampling.Temperature, sampling.TopK, sampling.TopP));
        Assert.Equal("sample t=0.7", ComparisonSettingSpec.Parse("sample").Label);

        var best = ComparisonSettingSpec.Parse("best-of-16");
        Assert.Equal(("best-of-16", "best-of-n", 16.0), (best.Label, best.Family, best.Parameters["n"]));
        Assert.Equal(16, Assert.IsType<BestOfNStrategy>(best.Strategy).Options.N);
        Assert.Equal("best-of-8 t=1", ComparisonSettingSpec.Parse("best-of-n n=8 t=1").Label);

        var darwin = ComparisonSettingSpec.Parse("darwin m=8 keep=2 mutate=false");
        Assert.Equal(("darwin m=8 keep=2 mutate=0", "darwin"), (darwin.Label, darwin.Family));
        var o = Assert.IsType<DarwinStrategy>(darwin.Strategy).Options;
        Assert.Equal((8, 2, 3, 5, false, 40), (o.ReplacementPeriod, o.Keep, o.Iterations, o.Mutations, o.Mutate, o.Sampling.TopK));
    }

    [Fact]
    public void The_default_sweep_has_the_issue_s_settings_with_greedy_first()
    {
        var sweep = ComparisonSettingSpec.DefaultSweep();
        Assert.Equal(new[] { "greedy", "sample t=0.7", "best-of-4", "best-of-16", "args w=0.5", "args w=1", "args w=1.5", "args w=2", "darwin m=8 keep=2" },
            sweep.Select(s => s.Label));
        Assert.Equal(sweep.Count, sweep.Select(s => s.Label).Distinct().Count());
        Assert.True(Assert.IsType<DarwinStrategy>(sweep[^1].Strategy).Options.Mutate);
        Assert.NotSame(sweep[5].Strategy, ComparisonSettingSpec.DefaultSweep()[5].Strategy);
    }

    [Theory]
    [InlineData("beam k=3", "unknown strategy 'beam'", "darwin")]
    [InlineData("args z=1", "unknown key 'z'", "w (reward weight")]
    [InlineData("args k=1.5", "key 'k' must be a whole number", "1.5")]
    [InlineData("args w=abc", "key 'w' must be a number", "abc")]
    [InlineData("args w", "'w' is not key=value", "Keys of args")]
    [InlineData("args w=1 w=2", "key 'w' is given twice", "once")]
    [InlineData("best-of-16 n=4", "key 'n' is given twice", "once")]
    [InlineData("args k=0", "top-k must be at least 1", "args k=0")]
    [InlineData("darwin mutate=2", "must be 0 or 1", "mutate")]
    [InlineData("greedy t=0", "unknown key 't'", "none")]
    [InlineData("  ", "empty", "greedy")]
    public void Bad_specs_name_the_spec_the_key_and_what_is_allowed(string spec, string problem, string hint)
    {
        var e = Assert.Throws<ArgumentException>(() => ComparisonSettingSpec.Parse(spec));
        Assert.Equal("spec", e.ParamName);
        Assert.Contains(problem, e.Message);
        Assert.Contains(hint, e.Message);
        if (!string.IsNullOrWhiteSpace(spec)) Assert.Contains($"'{spec}'", e.Message);
    }
}
