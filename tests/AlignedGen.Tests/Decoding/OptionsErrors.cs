using Xunit;

namespace AlignedGen.Tests.Decoding;

/// <summary>The check every strategy's options test makes of a bad value: an ArgumentException-family error naming the parameter and the value, with a fix.</summary>
internal static class OptionsErrors
{
    /// <param name="fix">a pattern a message must match to say how to fix the call ("Use e.g.", "The authors use", ...).</param>
    public static void NamesParameterValueAndFix<T>(Func<T> create, string parameter, string value, string fix)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(() => create());
        Assert.Equal(parameter, ex.ParamName);
        Assert.Contains(value, ex.Message);
        Assert.Matches(fix, ex.Message);
    }
}
