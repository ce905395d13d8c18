using AlignedGen.Decoding;
using Xunit;

namespace AlignedGen.Tests.Decoding;

/// <summary>Sizes as the CLI's --memory-budget takes them: bytes, or a number with a 1024- or 1000-based unit.</summary>
public sealed class MemoryBudgetParseTests
{
    [Theory]
    [InlineData("1073741824", 1073741824L)]
    [InlineData("8GiB", 8L * 1024 * 1024 * 1024)]
    [InlineData("512 MiB", 512L * 1024 * 1024)]
    [InlineData("1.5gib", 1610612736L)]
    [InlineData("64KiB", 65536L)]
    [InlineData("2GB", 2_000_000_000L)]
    [InlineData("3 mb", 3_000_000L)]
    [InlineData("1TiB", 1099511627776L)]
    [InlineData("100B", 100L)]
    [InlineData(" 7 ", 7L)]
    public void SizesReadInTheirUnits(string text, long bytes) => Assert.Equal(bytes, MemoryBudget.Parse(text));

    [Theory]
    [InlineData("0")]
    [InlineData("0GiB")]
    [InlineData("-1GiB")]
    [InlineData("0.5")]      // half a byte floors to nothing
    public void ABudgetOfNothingIsRefusedNamingTheValue(string text)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => MemoryBudget.Parse(text));
        Assert.Contains($"'{text}'", e.Message);
        Assert.Contains("above 0 bytes", e.Message);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("8 GiBs")]
    [InlineData("GiB")]
    [InlineData("")]
    [InlineData("1e9")]
    public void TextThatIsNotASizeIsRefusedWithTheFormsThatWork(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => MemoryBudget.Parse(text));
        Assert.Contains($"'{text}' is not a size", e.Message);
        Assert.Contains("8GiB", e.Message);
    }
}
