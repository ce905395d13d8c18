using AlignedGen.Decoding;
using Xunit;

namespace AlignedGen.Tests.Decoding;

public class DarwinOptionsTests
{
    [Fact]
    public void Defaults_are_the_papers()
    {
        var o = DarwinOptions.Default;
        Assert.Equal((5, 40, 3, 3, 1, 5), (o.Mutations, o.ReplacementPeriod, o.Keep, o.Iterations, o.MutationRounds, o.Beams));
        Assert.Equal(0.7, o.Sampling.Temperature);
        Assert.Equal(40, o.Sampling.TopK);
        Assert.Equal(DarwinMutationPrompt.Default, o.MutationPrompt);
        Assert.True(o.Mutate);
        Assert.Equal(2, o.ArchiveCandidates);
    }

    public static TheoryData<Func<DarwinOptions>, string, string> Invalid => new()
    {
        { () => new DarwinOptions(mutations: 0), "mutations", "0" },
        { () => new DarwinOptions(replacementPeriod: 0), "replacementPeriod", "0" },
        { () => new DarwinOptions(replacementPeriod: -3), "replacementPeriod", "-3" },
        { () => new DarwinOptions(keep: 6), "keep", "6" },
        { () => new DarwinOptions(mutations: 2, mutationRounds: 2, keep: 5), "keep", "5" },
        { () => new DarwinOptions(keep: 0), "keep", "0" },
        { () => new DarwinOptions(iterations: 0), "iterations", "0" },
        { () => new DarwinOptions(mutationRounds: 0), "mutationRounds", "0" },
        { () => new DarwinOptions(mutationMaxNewTokens: 0), "mutationMaxNewTokens", "0" },
        { () => new DarwinOptions(archiveCandidates: 0), "archiveCandidates", "0" },
        { () => new DarwinOptions(mutationPrompt: "Rewrite this: {instr}"), "mutationPrompt", "Rewrite this: {instr}" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_options_name_the_parameter_the_value_and_the_fix(Func<DarwinOptions> create, string parameter, string value)
        => OptionsErrors.NamesParameterValueAndFix(create, parameter, value, "(paper|add it|Use e\\.g\\.)");

    [Fact]
    public void Keep_equal_to_the_beams_is_allowed_and_the_beams_multiply_with_the_rounds()
    {
        var o = new DarwinOptions(mutations: 3, mutationRounds: 2, keep: 6);
        Assert.Equal(6, o.Beams);
    }

    [Fact]
    public void An_empty_instruction_is_a_failed_row_naming_the_prompt_or_with_fail_fast_an_error()
    {
        using var models = new DarwinTestModels();
        using var lm = models.RandomLm();
        using var rm = models.MeanRewardModel();
        var generator = new TextGenerator(lm, rm);
        var failed = generator.Generate(new[] { new GenerationRequest("  ", "blank") }, new DarwinStrategy()).Single();
        Assert.Equal((FinishReason.Error, "blank"), (failed.FinishReason, failed.Id));
        Assert.Contains("empty", failed.Error);
        var ex = Assert.Throws<ArgumentException>(() => generator.Generate(new[] { new GenerationRequest("  ") }, new DarwinStrategy(), new GenerationOptions() { FailFast = true }));
        Assert.Equal("prompt", ex.ParamName);
        Assert.Contains("empty", ex.Message);
    }

    [Fact]
    public void Darwin_without_a_reward_source_says_how_to_fix_it()
    {
        using var models = new DarwinTestModels();
        using var lm = models.RandomLm();
        var ex = Assert.Throws<InvalidOperationException>(() => new TextGenerator(lm).Generate(new[] { new GenerationRequest("3 4") }, new DarwinStrategy()));
        Assert.Contains("reward source", ex.Message);
    }
}
