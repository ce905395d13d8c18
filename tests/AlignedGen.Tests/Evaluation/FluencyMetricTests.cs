using AlignedGen.Decoding;
using AlignedGen.Evaluation;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Tests.Decoding;
using AlignedGen.Tests.ModelBuilding;
using Xunit;

namespace AlignedGen.Tests.Evaluation;

/// <summary>Fluency (mean NLL) on a builder model whose logits are a known bigram table, and on stories260K.</summary>
public class FluencyMetricTests
{
    [Fact]
    public void Nll_of_a_token_is_minus_its_log_softmax()
    {
        // softmax(0, ln 3) = (¼, ¾).
        var logits = new[] { 0f, (float)Math.Log(3) };
        Assert.Equal(-Math.Log(0.75), FluencyMetric.NegativeLogLikelihood(logits, 1), 6);
        Assert.Equal(Math.Log(4), FluencyMetric.NegativeLogLikelihood(logits, 0), 6);
        Assert.Throws<ArgumentOutOfRangeException>(() => FluencyMetric.NegativeLogLikelihood(logits, 2));
    }

    [Fact]
    public void On_a_bigram_model_the_batched_nll_equals_the_table_computed_by_hand()
    {
        using var temp = new TempFolder();
        var options = TestModels.Decoder(AttentionContribution.Silent);
        using var model = OnnxCausalLanguageModel.Load(TinyDecoderBuilder.WriteFolder(options, temp.Path), new IdTokenizer(TestModels.Vocab, 0, 1));
        int window = model.Config.ContextLength;
        var prompts = new IReadOnlyList<int>[]
        {
            new[] { 0, 3, 4 }, new[] { 0, 5 }, new[] { 0, 7, 8, 9, 10 }, new[] { 0, 6 }, new[] { 0, 11, 3 },
            Enumerable.Repeat(4, window - 3).ToArray(), // only 3 of its 6 response tokens fit the window
            Enumerable.Repeat(5, window).ToArray(),     // no response token fits
        };
        var responses = new IReadOnlyList<int>[]
        {
            new[] { 5, 6, 7 }, new[] { 9 }, new[] { 2, 2, 11, 3, 4, 8, 1 }, Array.Empty<int>(), new[] { 10, 10, 10, 10 },
            new[] { 3, 9, 8, 7, 6, 5 }, new[] { 3 },
        };
        var metric = new FluencyMetric(model, batchSize: 3);
        var result = metric.Compute(prompts, responses);
        Assert.Equal(prompts.Length, result.Length);
        for (int i = 0; i < prompts.Length; i++)
        {
            var expected = ByHand(options.BigramLogits, prompts[i], responses[i], window);
            if (expected is null) Assert.Null(result[i]);
            else Assert.Equal(expected.Value, result[i]!.Value, 4);
        }
        Assert.True(metric.Counters.Calls > 0);
        // The same rows one at a time give the same values.
        var single = new FluencyMetric(model, batchSize: 1).Compute(prompts, responses);
        for (int i = 0; i < prompts.Length; i++) Assert.Equal(result[i] ?? -1, single[i] ?? -1, 5);
    }

    [Fact]
    public void Bad_inputs_name_the_row_and_parameter()
    {
        using var temp = new TempFolder();
        using var model = OnnxCausalLanguageModel.Load(TinyDecoderBuilder.WriteFolder(TestModels.Decoder(AttentionContribution.Silent), temp.Path), new IdTokenizer(TestModels.Vocab, 0, 1));
        var metric = new FluencyMetric(model);
        var e = Assert.Throws<ArgumentException>(() => metric.Compute(new[] { new[] { 0 } }, new[] { new[] { 99 } }));
        Assert.Equal("responseIds", e.ParamName);
        Assert.Contains("99", e.Message);
        Assert.Equal("promptIds", Assert.Throws<ArgumentException>(() => metric.Compute(new[] { Array.Empty<int>() }, new[] { new[] { 3 } })).ParamName);
        Assert.Equal("batchSize", Assert.Throws<ArgumentOutOfRangeException>(() => new FluencyMetric(model, 0)).ParamName);
    }

    [SkippableFact]
    public void On_stories260K_batched_equals_one_at_a_time_and_greedy_text_is_more_fluent_than_shuffled()
    {
        using var model = OnnxCausalLanguageModel.Load(SharedFolder.Require("models", "stories260K"));
        var prompts = DarwinStoriesTests.StoryPrompts(6);
        var generator = new TextGenerator(model);
        var options = new GenerationOptions(maxNewTokens: 24, seed: 1);
        var greedy = generator.Generate(GenerationRequest.FromPrompts(prompts), SamplingStrategy.Greedy, options);
        var promptIds = prompts.Select(p => generator.EncodePrompt(p, options)).ToArray();
        var responseIds = greedy.Select(g => g.TokenIds).ToArray();
        var random = new Random(5);
        var shuffled = responseIds.Select(ids => (IReadOnlyList<int>)ids.OrderBy(_ => random.Next()).ToArray()).ToArray();

        var single = new FluencyMetric(model, batchSize: 1).Compute(promptIds, responseIds);
        var batched = new FluencyMetric(model, batchSize: 16).Compute(promptIds, responseIds);
        // Greedy and shuffled rows mixed in batches of 4.
        var mixed = new FluencyMetric(model, batchSize: 4).Compute(promptIds.Concat(promptIds).ToArray(), responseIds.Concat(shuffled).ToArray());
        for (int i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(single[i]!.Value, batched[i]!.Value, 4);
            Assert.Equal(single[i]!.Value, mixed[i]!.Value, 4);
            Assert.True(mixed[i] < mixed[i + prompts.Length], $"prompt {i}: greedy {mixed[i]:F3} vs shuffled {mixed[i + prompts.Length]:F3}");
        }
    }

    /// <summary>Mean of −log softmax(table[previous])[next] over the response tokens that fit the window; null when none does.</summary>
    private static double? ByHand(float[,] table, IReadOnlyList<int> prompt, IReadOnlyList<int> response, int window)
    {
        int count = Math.Min(response.Count, window - prompt.Count);
        if (count <= 0) return null;
        int previous = prompt[^1];
        double sum = 0;
        for (int t = 0; t < count; t++)
        {
            double norm = 0;
            for (int v = 0; v < table.GetLength(1); v++) norm += Math.Exp(table[previous, v]);
            sum += Math.Log(norm) - table[previous, response[t]];
            previous = response[t];
        }
        return sum / count;
    }
}
