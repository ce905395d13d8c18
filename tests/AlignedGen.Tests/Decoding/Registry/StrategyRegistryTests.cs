using AlignedGen.Decoding;
using AlignedGen.Tokenization;
using Xunit;

namespace AlignedGen.Tests.Decoding.Registry;

/// <summary>
/// The strategy registry: every built-in strategy parses, prints and rebuilds itself; names match in every spelling the
/// surfaces use; reward needs come from the strategies; a strategy registered from outside appears everywhere.
/// </summary>
public class StrategyRegistryTests
{
    public static TheoryData<string> Specs => new()
    {
        "greedy", "sample", "sample t=1 top-k=40 top-p=0.9", "best-of-4", "best-of-16 t=1 keep-all=1", "args", "args w=1.5 k=5",
        "args-stochastic w=2 t=0.5", "darwin", "darwin m=8 keep=2 mutate=0 archive=1 trace=1",
        "darwin mutation-prompt=\"Rewrite {count} times: {instruction}\" mutation-template=chatml",
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void A_spec_s_label_parses_back_to_equal_options_and_the_options_describe_the_same_label(string text)
    {
        var spec = StrategySpec.Parse(text);
        var again = StrategySpec.Parse(spec.Label);
        Assert.Equal(spec.Options, again.Options);
        Assert.Equal(spec.Values, again.Values);
        Assert.Equal(spec.Label, StrategySpec.From(spec.Options).Label);
        Assert.Null(spec.WhyNotWritable);
        Assert.Equal(spec.Options, spec.Descriptor.Create(spec.Values).Options);
    }

    [Fact]
    public void Specs_build_the_strategies_with_the_options_they_name()
    {
        var args = Assert.IsType<ArgsStrategy>(StrategySpec.Parse("args w=1.5 k=5").CreateStrategy());
        Assert.Equal(new ArgsOptions(topK: 5, weight: 1.5), args.Options);
        var stochastic = Assert.IsType<ArgsStrategy>(StrategySpec.Parse("args-stochastic t=0.5").CreateStrategy());
        Assert.Equal(new ArgsOptions(stochastic: true, temperature: 0.5), stochastic.Options);
        var best = Assert.IsType<BestOfNStrategy>(StrategySpec.Parse("best-of-8 top-p=0.9 keep-all=true").CreateStrategy());
        Assert.Equal(new BestOfNOptions(8, new SamplingOptions(0.7, 0, 0.9), keepAll: true), best.Options);
        Assert.Same(SamplingOptions.Greedy, Assert.IsType<SamplingStrategy>(StrategySpec.Parse("greedy").CreateStrategy()).Sampling);
        var darwin = Assert.IsType<DarwinStrategy>(StrategySpec.Parse("darwin mutation-prompt=\"Say {instruction} again\" mutation-template=llama3").CreateStrategy());
        Assert.Equal(("Say {instruction} again", ChatTemplate.Llama3), (darwin.Options.MutationPrompt, darwin.Options.MutationChatTemplate));
        Assert.NotSame(StrategySpec.Parse("args").CreateStrategy(), StrategySpec.Parse("args").CreateStrategy());
    }

    [Theory]
    [InlineData("greedy", false)]
    [InlineData("sample", false)]
    [InlineData("best-of-4", true)]
    [InlineData("args", true)]
    [InlineData("args-stochastic", true)]
    [InlineData("darwin", true)]
    public void Whether_a_strategy_needs_a_reward_is_what_the_strategy_says(string text, bool needsReward)
    {
        var spec = StrategySpec.Parse(text);
        Assert.Equal(needsReward, spec.NeedsReward);
        Assert.Equal(needsReward, spec.CreateStrategy().NeedsReward);
    }

    [Theory]
    [InlineData("BestOfN", "best-of-n")]
    [InlineData("bestofn", "best-of-n")]
    [InlineData("ArgsStochastic", "args-stochastic")]
    [InlineData("ARGS-GREEDY", "args")]
    [InlineData("ArgsGreedy", "args")]
    [InlineData("Darwin", "darwin")]
    public void Names_match_in_pascal_case_aliases_and_any_case(string typed, string name)
    {
        Assert.Equal(name, StrategyRegistry.Default.Get(typed).Name);
    }

    [Fact]
    public void Pascal_names_and_parameter_names_are_what_cmdlets_show()
    {
        Assert.Equal(new[] { "Greedy", "Sample", "BestOfN", "Args", "ArgsStochastic", "Darwin", "Cards", "SpeculativeRejection" }, StrategyRegistry.Default.Descriptors.Select(d => d.PascalName));
        // ARGS's candidate count and the sampling filter have different names: -CandidateCount vs -TopK.
        Assert.Equal(new[] { "Weight", "CandidateCount" }, StrategyRegistry.Default.Get("args").Parameters.Select(p => p.Name));
        Assert.Equal(new[] { "Temperature", "TopK", "TopP" }, StrategyRegistry.Default.Get("sample").Parameters.Select(p => p.Name));
        Assert.Equal((10, 0), ((int)StrategyRegistry.Default.Get("args").FindParameter("CandidateCount")!.Default!, (int)StrategyRegistry.Default.Get("sample").FindParameter("TopK")!.Default!));
    }

    [Fact]
    public void Options_objects_map_to_the_name_that_describes_them()
    {
        Assert.Equal("greedy", StrategySpec.From(SamplingOptions.Greedy).Label);
        Assert.Equal("sample t=0 top-k=5", StrategySpec.From(new SamplingOptions(0, 5)).Label);
        Assert.Equal("best-of-4", StrategySpec.From(new BestOfNOptions()).Label);
        Assert.Equal("args-stochastic w=1", StrategySpec.From(new ArgsOptions(stochastic: true)).Label);
        // ARGS-greedy never reads its temperature, so options that differ only there are written alike.
        Assert.Null(StrategySpec.From(new ArgsOptions(temperature: 0.3)).WhyNotWritable);
    }

    [Fact]
    public void Options_with_code_built_parts_say_why_they_cannot_be_written()
    {
        var custom = ChatTemplate.Custom("U: {user}\n", "A: {assistant}\n");
        Assert.Contains("custom", StrategySpec.From(new DarwinOptions(mutationChatTemplate: custom)).WhyNotWritable);
        Assert.Contains("mutator", StrategySpec.From(new DarwinOptions(mutator: new FixedMutator())).WhyNotWritable);
    }

    [Fact]
    public void Syntax_and_name_list_come_from_the_registrations()
    {
        var syntax = StrategyRegistry.Default.Syntax;
        Assert.Contains("args | args-greedy [w=1] [k=10]", syntax);
        Assert.Contains("best-of-n | best-of-N [n=4] [t=0.7] [top-k=0] [top-p=1] [keep-all=0]", syntax);
        Assert.Contains("    k: candidates per step", syntax);
        Assert.Equal("greedy, sample, best-of-n (or best-of-N, e.g. best-of-16), args (args-greedy), args-stochastic, darwin, cards, speculative-rejection (spec-rejection)", StrategyRegistry.Default.NameList);
    }

    [Theory]
    [InlineData("sample t=\"0.5", "double quote is not closed")]
    [InlineData("sample top-k=fast", "key 'top-k' must be a whole number, got 'fast'")]
    [InlineData("best-of-n n=-2", "N of at least 1")]
    [InlineData("args-stochastic t=0", "temperature above 0")]
    public void Bad_values_name_the_spec_and_the_problem(string text, string problem)
    {
        var e = Assert.Throws<ArgumentException>(() => StrategySpec.Parse(text));
        Assert.Equal("spec", e.ParamName);
        Assert.Contains(problem, e.Message);
        Assert.Contains($"'{text}'", e.Message);
        // Only the outer "(Parameter 'spec')": the options' own parameter suffix and "Actual value" line are cut.
        Assert.Equal(e.Message.IndexOf("(Parameter", StringComparison.Ordinal), e.Message.LastIndexOf("(Parameter", StringComparison.Ordinal));
        Assert.DoesNotContain("Actual value", e.Message);
    }

    [Fact]
    public void Values_from_surfaces_are_read_by_key_or_name_with_their_own_wording()
    {
        var d = StrategyRegistry.Default.Get("args");
        var spec = d.Create(new Dictionary<string, object?> { ["CandidateCount"] = 3, ["w"] = "2.5" });
        Assert.Equal(new ArgsOptions(3, 2.5), spec.Options);
        var e = Assert.Throws<ArgumentException>(() => d.Create(new Dictionary<string, object?> { ["k"] = 0 }, "-Strategy Args"));
        Assert.StartsWith("-Strategy Args: ARGS top-k must be at least 1", e.Message);
        Assert.Contains("key 'k' must be a whole number", Assert.Throws<ArgumentException>(() => d.Create(new Dictionary<string, object?> { ["k"] = 2.5 })).Message);
    }

    [Fact]
    public void A_strategy_registered_from_outside_parses_prints_and_says_when_it_needs_a_reward()
    {
        var registry = new StrategyRegistry(StrategyRegistry.Default.Descriptors);
        registry.Register(Checkpoint.Descriptor);
        var plain = registry.Parse("check-every every=4");
        Assert.Equal(("check-every every=4", "check-every"), (plain.Label, plain.Family));
        Assert.False(plain.NeedsReward);
        var guided = registry.Parse("CheckEvery every=2 score=1 threshold=0.25");
        Assert.True(guided.NeedsReward);
        Assert.Equal("check-every every=2 score=1 threshold=0.25", guided.Label);
        Assert.Equal(new Dictionary<string, double> { ["every"] = 2, ["score"] = 1, ["threshold"] = 0.25 }, guided.NumericValues);
        Assert.Contains("check-every [every=8] [score=0] [threshold=0]", registry.Syntax);
        Assert.Equal(guided.Label, registry.Describe(guided.Options).Label);
        Assert.Null(StrategyRegistry.Default.Find("check-every"));

        var clash = Assert.Throws<ArgumentException>(() => registry.Register(Checkpoint.Descriptor));
        Assert.Contains("taken", clash.Message);
    }

    private sealed class FixedMutator : IInstructionMutator
    {
        public IReadOnlyList<IReadOnlyList<DarwinMutation>> Mutate(DecodingContext context, IReadOnlyList<string> parents, int count, int rounds, int iteration,
            CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    /// <summary>A strategy from "outside" whose reward need depends on its options (score=1), with several numeric parameters.</summary>
    private sealed record Checkpoint(int Every, bool Score, double Threshold)
    {
        public static StrategyDescriptor<Checkpoint> Descriptor { get; } = new(
            "check-every", "a test strategy",
            new[]
            {
                StrategyParameter.Integer<Checkpoint>("every", "Every", 8, "tokens between checks", o => o.Every, primary: true),
                StrategyParameter.Flag<Checkpoint>("score", "Score", false, "score at each check", o => o.Score),
                StrategyParameter.Number<Checkpoint>("threshold", "Threshold", 0, "reject below", o => o.Threshold),
            },
            a => new Checkpoint(a.Integer("every") >= 1 ? a.Integer("every") : throw new ArgumentOutOfRangeException("every", "every must be at least 1."), a.Flag("score"), a.Number("threshold")),
            o => new CheckpointStrategy(o));
    }

    private sealed class CheckpointStrategy(Checkpoint options) : IDecodingStrategy
    {
        public string Name => "check-every";
        public bool NeedsReward => options.Score;
        public IReadOnlyList<DecodingOutcome> Decode(DecodingContext context, SequenceBatch batch, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
