using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Tests.ModelBuilding;
using Xunit;

namespace AlignedGen.Tests.Decoding;

/// <summary>
/// A result carries its request's identity (id, reference) and the prompt's encoded ids, so adapters need neither a
/// side queue nor a second encode; and the generator refuses a strategy that needs a reward it was not given.
/// </summary>
public sealed class GenerationResultTests : IDisposable
{
    private readonly TempFolder _temp = new();
    private readonly OnnxCausalLanguageModel _model;

    public GenerationResultTests() => _model = OnnxCausalLanguageModel.Load(DefaultModels.EnsureDemoModel(_temp.Path));

    [Fact]
    public void Results_carry_the_request_id_reference_and_encoded_prompt_at_any_batch_size()
    {
        var generator = new TextGenerator(_model);
        var requests = new[] { new GenerationRequest("Once upon a time", "a", "a dog"), new GenerationRequest("She said", null, null), new GenerationRequest("The sun", "c") };
        foreach (var batch in new[] { 1, 2, 16 })
        {
            var options = new GenerationOptions(maxNewTokens: 3, batchSize: batch, chatTemplate: "chatml");
            var results = generator.Generate(requests, SamplingStrategy.Greedy, options);
            Assert.Equal(new[] { "a", null, "c" }, results.Select(r => r.Id));
            Assert.Equal(new[] { "a dog", null, null }, results.Select(r => r.Reference));
            for (int i = 0; i < requests.Length; i++)
            {
                Assert.Equal(generator.EncodePrompt(requests[i].Prompt, options), results[i].PromptTokenIds);
                Assert.Equal(results[i].PromptTokenIds.Count, results[i].PromptTokenCount);
            }
        }
    }

    [Fact]
    public void A_strategy_that_needs_a_reward_does_not_run_without_one()
    {
        var generator = new TextGenerator(_model);
        var requests = GenerationRequest.FromPrompts(new[] { "Once upon a time" });
        var e = Assert.Throws<InvalidOperationException>(() => generator.Generate(requests, new ArgsStrategy(), new GenerationOptions(maxNewTokens: 2)));
        Assert.Contains("'args-greedy' needs a reward source", e.Message);
        Assert.Single(generator.Generate(requests, SamplingStrategy.Greedy, new GenerationOptions(maxNewTokens: 2)));
    }

    public void Dispose()
    {
        _model.Dispose();
        _temp.Dispose();
    }
}
