using System.Text.Json;
using System.Text.RegularExpressions;
using AlignedGen.Tokenization.Pipeline;
using Xunit;

namespace AlignedGen.Tests.Tokenization;

/// <summary>The hand-written GPT-2 split scanner and the possessive-quantifier conversion against .NET Regex.</summary>
public class PreTokenizerTests
{
    private const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private static IEnumerable<string> Corpus() =>
        JsonSerializer.Deserialize<List<string>>(File.ReadAllText(TokenizerOracle.DataPath("corpus")))!;

    private static List<string> ScannerSplits(string text)
    {
        var pieces = new List<string>();
        for (var i = 0; i < text.Length;)
        {
            var end = ByteLevelPreTokenizer.NextSplitEnd(text, i);
            pieces.Add(text[i..end]);
            i = end;
        }
        return pieces;
    }

    [Fact]
    public void Gpt2Scanner_EqualsRegexOnBmpText()
    {
        var regex = new Regex(Gpt2Pattern);
        var extra = new[] { "a  b", "x\n\n y", "'sup 'S 'll'", "   ", " \t\n", "end  ", "123abc 4.5", "¿Qué?" };
        foreach (var text in Corpus().Concat(extra).Where(t => !t.Any(char.IsSurrogate)))
        {
            var expected = regex.Matches(text).Select(m => m.Value).ToList();
            Assert.Equal(expected, ScannerSplits(text));
        }
    }

    [Fact]
    public void Gpt2Scanner_TreatsSupplementaryLettersAsLetters()
    {
        // U+20000 (CJK Extension B) is a letter: " 𠀀x" stays one piece, as in HF's Oniguruma (.NET Regex would split it).
        Assert.Equal([" \U00020000x"], ScannerSplits(" \U00020000x"));
        // Emoji (So) and '!' (Po) are both [^\s\p{L}\p{N}], so they form one piece.
        Assert.Equal(["a", " 😀😀!"], ScannerSplits("a 😀😀!"));
    }

    [Fact]
    public void PossessiveQuantifiers_BecomeAtomicGroupsWithTheSameSplits()
    {
        const string possessive = @"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s";
        const string plain = @"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s+$|\s*[\r\n]|\s+(?!\S)|\s";
        var converted = RegexPatterns.ConvertPossessive(possessive);
        Assert.Contains("(?>", converted);
        var a = new Regex(converted);
        var b = new Regex(plain);
        foreach (var text in Corpus())
            Assert.Equal(b.Matches(text).Select(m => m.Value), a.Matches(text).Select(m => m.Value));
    }
}
