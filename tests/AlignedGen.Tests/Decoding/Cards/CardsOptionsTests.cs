using AlignedGen.Decoding;
using Xunit;

namespace AlignedGen.Tests.Decoding;

public class CardsOptionsTests
{
    [Fact]
    public void Defaults_are_the_authors_code()
    {
        var o = CardsOptions.Default;
        Assert.Equal((3.0, 0.5, 0.7, 40, 4, 64, 20), (o.EntropyThreshold, o.Alpha, o.Beta, o.TopK, o.MinSegmentLength, o.MaxSegmentLength, o.MaxRetries));
        Assert.Equal(CardsAcceptance.Soft, o.Acceptance);
        Assert.Null(o.RewardThreshold);
        Assert.Equal((0.7, 40), (o.Sampling.Temperature, o.Sampling.TopK));
    }

    public static TheoryData<Func<CardsOptions>, string, string> Invalid => new()
    {
        { () => new CardsOptions(rewardThreshold: double.NaN), "rewardThreshold", "NaN" },
        { () => new CardsOptions(rewardGain: double.NaN), "rewardGain", "NaN" },
        { () => new CardsOptions(entropyThreshold: -1), "entropyThreshold", "-1" },
        { () => new CardsOptions(alpha: 1.5), "alpha", "1.5" },
        { () => new CardsOptions(beta: 0), "beta", "0" },
        { () => new CardsOptions(topK: -2), "topK", "-2" },
        { () => new CardsOptions(minSegmentLength: 0), "minSegmentLength", "0" },
        { () => new CardsOptions(minSegmentLength: 8, maxSegmentLength: 6), "maxSegmentLength", "6" },
        { () => new CardsOptions(maxRetries: -1), "maxRetries", "-1" },
        { () => new CardsOptions(acceptance: (CardsAcceptance)7), "acceptance", "7" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_options_name_the_parameter_the_value_and_the_fix(Func<CardsOptions> create, string parameter, string value)
        => OptionsErrors.NamesParameterValueAndFix(create, parameter, value, "(Use|use|The authors|Leave)");
}
