using AlignedGen.Cli;
using Xunit;

namespace AlignedGen.Tests;

/// <summary>
/// The one mechanism by which surfaces word the core's C#-named fixes in their own terms (the CLI's options, the
/// module's parameters; the module's wording is checked by Pester).
/// </summary>
public class SurfaceWordingTests
{
    private static Dictionary<string, string> Every(Func<string, string> word) => SurfaceWording.CorePhrases.ToDictionary(p => p, word);

    [Fact]
    public void A_surface_missing_a_core_phrase_or_wording_an_unknown_one_is_refused_by_name()
    {
        var words = Every(p => "x");
        words.Remove("set RelabelOptions.Strict = false");
        var missing = Assert.Throws<ArgumentException>(() => new SurfaceWording(words));
        Assert.Contains("\"set RelabelOptions.Strict = false\"", missing.Message);

        words = Every(p => "x");
        words["set Foo = 1"] = "--foo 1";
        var unknown = Assert.Throws<ArgumentException>(() => new SurfaceWording(words));
        Assert.Contains("\"set Foo = 1\"", unknown.Message);
    }

    [Fact]
    public void A_phrase_is_replaced_whole_before_a_shorter_phrase_it_contains()
    {
        var words = Every(p => p);
        words["skip bad records (RelabelOptions.SkipBadRecords = true)"] = "pass -SkipBadRecords";
        words["RelabelOptions.SkipBadRecords = true"] = "-SkipBadRecords";
        var wording = new SurfaceWording(words);
        Assert.Equal("repair the line, or pass -SkipBadRecords.", wording.Translate("repair the line, or skip bad records (RelabelOptions.SkipBadRecords = true)."));
        Assert.Equal("use -SkipBadRecords", wording.Translate("use RelabelOptions.SkipBadRecords = true"));
    }

    [Fact]
    public void The_plain_message_drops_dotnet_parameter_and_actual_value_trailers()
    {
        Assert.Equal("k must be at least 1.", SurfaceWording.PlainMessage(new ArgumentOutOfRangeException("topK", 0, "k must be at least 1.")));
        Assert.Equal("bad weight.", SurfaceWording.PlainMessage(new ArgumentException("bad weight.", "weight")));
        Assert.Equal("no trailer here.", SurfaceWording.PlainMessage(new InvalidOperationException("no trailer here.")));
    }

    [Fact]
    public void The_cli_words_every_core_phrase_in_options()
    {
        foreach (var phrase in SurfaceWording.CorePhrases)
            Assert.DoesNotMatch(@"RelabelOptions|ColumnMap|RelabelJob\)|(?<!-)\b(OutputPath|ScoreColumn)\b", CliFixes.Translate(phrase));
        Assert.Equal("repair it, or pass --skip-bad-records.", CliFixes.Translate("repair it, or skip bad records (RelabelOptions.SkipBadRecords = true)."));
    }
}
