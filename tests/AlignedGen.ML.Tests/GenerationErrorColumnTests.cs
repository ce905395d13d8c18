using AlignedGen.Decoding;
using Microsoft.ML;
using Xunit;

namespace AlignedGen.ML.Tests;

/// <summary>
/// Issue 13, per-row failure isolation in ML.NET: with ErrorColumnName, a prompt that cannot be generated gets its reason
/// in that column (empty for the other rows), an empty response and finish reason "Error", and every other row equals
/// the core's result; without it, the cursor stops with an error naming the row and ErrorColumnName.
/// </summary>
public class GenerationErrorColumnTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void A_failed_row_gets_its_reason_in_the_error_column_and_the_other_rows_are_generated()
    {
        var prompts = PromptRow.Make(4);
        prompts[1].Prompt = "   ";
        var generation = new GenerationOptions(maxNewTokens: 5, batchSize: 2);
        var data = _ml.Data.LoadFromEnumerable(prompts);
        var options = new GenerateTextOptions(TestModels.LanguageModel) { Generation = generation, ErrorColumnName = "Error", FinishReasonColumnName = "Finish" };
        var output = _ml.Transforms.Text.GenerateText("Response", nameof(PromptRow.Prompt), options).Fit(data).Transform(data);

        var errors = Direct.Texts(output, "Error");
        Assert.Equal("", errors[0]);
        Assert.Contains("prompt 1 (id '1') is empty", errors[1]);
        Assert.Equal(new[] { "", "" }, errors[2..]);
        var finish = Direct.Texts(output, "Finish");
        Assert.Equal("Error", finish[1]);
        Assert.DoesNotContain("Error", finish.Where((_, i) => i != 1));
        var expected = Direct.Generate(prompts.Where((_, i) => i != 1), SamplingStrategy.Greedy, generation).Select(r => r.Text).ToList();
        expected.Insert(1, "");
        Assert.Equal(expected, Direct.Texts(output, "Response"));
    }

    [Fact]
    public void Without_an_error_column_a_failed_row_stops_the_cursor_naming_the_row_and_the_option()
    {
        var prompts = PromptRow.Make(3);
        prompts[2].Prompt = "";
        var data = _ml.Data.LoadFromEnumerable(prompts);
        var output = _ml.Transforms.Text.GenerateText("Response", nameof(PromptRow.Prompt),
            new GenerateTextOptions(TestModels.LanguageModel) { Generation = new GenerationOptions(maxNewTokens: 3) }).Fit(data).Transform(data);
        var ex = Record.Exception(() => Direct.Texts(output, "Response"));
        var message = ex!.ToString();
        Assert.Contains("row 2", message);
        Assert.Contains("ErrorColumnName", message);
    }
}
