using AlignedGen.Decoding;
using AlignedGen.Models;
using Xunit;

namespace AlignedGen.Tests.Decoding;

/// <summary>SequenceBatch.AdoptResponses: a row takes another row's response but keeps its prompt, and then decodes as if it had written that response itself.</summary>
public class AdoptResponsesTests
{
    private static SequenceRow Row(int sample, params int[] prompt) => new(0, sample, prompt, maxNewTokens: 12, seed: 3);

    [Fact]
    public void Adopted_rows_continue_like_fresh_rows_with_their_prompt_plus_the_adopted_response()
    {
        using var models = new DarwinTestModels();
        using var lm = models.RandomLm();
        var options = new GenerationOptions(maxNewTokens: 12, stopAtEos: false);
        using var batch = SequenceBatch.Start(lm, new[] { Row(0, 1, 3, 4), Row(1, 1, 5), Row(2, 1, 3, 4), Row(3, 1, 6, 7, 8, 9) }, options);
        SamplingStrategy.DecodeToEnd(batch, SamplingOptions.Greedy, CancellationToken.None, maxSteps: 4);
        var sourceResponse = batch[0].GeneratedTokens.ToArray();
        long before = batch.Counters.Tokens;

        var actions = batch.AdoptResponses(new[] { (1, 0), (2, 0) });

        Assert.Equal(new[] { ResponseAdoption.Refilled, ResponseAdoption.CopiedCache }, actions);
        Assert.Equal(new[] { 1, 5 }, batch[1].PromptTokens);
        Assert.Equal(sourceResponse, batch[1].GeneratedTokens);
        Assert.Equal(sourceResponse, batch[2].GeneratedTokens);
        Assert.Equal(before + 2 + sourceResponse.Length, batch.Counters.Tokens);   // only row 1 was re-prefilled

        SamplingStrategy.DecodeToEnd(batch, SamplingOptions.Greedy, CancellationToken.None, maxSteps: 5);
        // By construction: greedy decoding from prompt ⊕ adopted response, from scratch.
        using var fresh = SequenceBatch.Start(lm, Enumerable.Range(0, 4).Select(i => Row(i, batch[i].PromptTokens.Concat(sourceOrOwn(i)).ToArray())).ToArray(), options);
        SamplingStrategy.DecodeToEnd(fresh, SamplingOptions.Greedy, CancellationToken.None, maxSteps: 5);
        for (int i = 0; i < 4; i++)
            Assert.Equal(fresh[i].GeneratedTokens, batch[i].GeneratedTokens.Skip(4).ToArray());

        IEnumerable<int> sourceOrOwn(int i) => batch[i].GeneratedTokens.Take(4);
    }

    [Fact]
    public void Taking_a_finished_response_finishes_the_row_and_checks_reject_bad_pairs()
    {
        using var models = new DarwinTestModels();
        using var lm = models.RandomLm();
        // Row 0 may write one token only, so it finishes at once.
        using var limited = SequenceBatch.Start(lm, new[] { new SequenceRow(0, 0, new[] { 1, 3 }, 1, 3), Row(1, 1, 4) }, new GenerationOptions(maxNewTokens: 12, stopAtEos: false));
        limited.Append(new[] { 7, 8 });
        Assert.True(limited[0].IsFinished);
        var actions = limited.AdoptResponses(new[] { (1, 0) });
        Assert.Equal(new[] { ResponseAdoption.Finished }, actions);
        Assert.True(limited[1].IsFinished);
        Assert.Equal(new[] { 7 }, limited[1].GeneratedTokens);
        Assert.True(limited.AllFinished);

        using var batch = SequenceBatch.Start(lm, new[] { Row(0, 1, 3), Row(1, 1, 4), Row(2, 1, 5) }, new GenerationOptions(maxNewTokens: 12, stopAtEos: false));
        batch.Append(new[] { 7, 8, 9 });
        Assert.Throws<ArgumentException>(() => batch.AdoptResponses(new[] { (1, 0), (2, 1) }));
        Assert.Throws<ArgumentException>(() => batch.AdoptResponses(new[] { (1, 0), (1, 2) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.AdoptResponses(new[] { (3, 0) }));
        Assert.Empty(batch.AdoptResponses(Array.Empty<(int, int)>()));
        Assert.Equal(new[] { 7 }, batch[0].GeneratedTokens);
    }
}
