using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Tests.Models;
using Xunit;

namespace AlignedGen.Tests.Decoding;

/// <summary>
/// SequenceBatch.Rewind: rows cut back to a shorter response — running or finished — must then have the logits, and
/// decode the tokens, of fresh rows whose prompt is the old prompt plus the kept response. The oracle is a fresh batch
/// started from those sequences.
/// </summary>
public class SequenceBatchRewindTests
{
    private static readonly GenerationOptions Options = new(maxNewTokens: 12, stopAtEos: true);
    private const int Eos = 2;

    private static SequenceRow Row(int request, params int[] prompt) => new(request, 0, prompt, maxNewTokens: 12, seed: 3);

    [Fact]
    public void Rewound_rows_continue_like_fresh_rows_from_the_kept_tokens_and_the_prefix_is_not_recomputed()
    {
        using var models = new DarwinTestModels();
        using var lm = models.RandomLm();
        using var batch = SequenceBatch.Start(lm, new[] { Row(0, 1, 3, 4), Row(1, 1, 5), Row(2, 1, 6, 7, 8, 9) }, Options);
        batch.Append(new[] { 3, 4, 5 });
        batch.Append(new[] { 6, 7, 8 });
        batch.Append(new[] { 9, 10, 11 });
        var rowOne = batch.Logits(1).ToArray();
        long tokens = batch.Counters.Tokens;

        batch.Rewind(new[] { 0, 2 }, new[] { 1, 0 });

        Assert.Equal(new[] { 3 }, batch[0].GeneratedTokens);
        Assert.Empty(batch[2].GeneratedTokens);
        Assert.Equal(new[] { 4, 7, 10 }, batch[1].GeneratedTokens);
        Assert.Equal(tokens + 3, batch.Counters.Tokens);   // one step re-feeds each row's last kept token; no prefix is recomputed
        SameAsFresh(lm, batch, "after the rewind");
        OnnxDecoderTests.AssertClose(rowOne, batch.Logits(1), 1e-4f, "an untouched row");

        batch.Append(new[] { 12, 13, 14 });
        batch.Append(new[] { 3, 5, 7 });
        SameAsFresh(lm, batch, "two steps after the rewind");
    }

    [Fact]
    public void Finished_rows_run_again_and_single_token_rows_are_prefilled_again()
    {
        using var models = new DarwinTestModels();
        using var lm = models.RandomLm();
        using var batch = SequenceBatch.Start(lm, new[] { Row(0, 1, 3), Row(1, 1), Row(2, 1, 5, 6) }, Options);
        batch.Append(new[] { 7, 8, Eos });
        Assert.True(batch[2].IsFinished);

        // Row 2 finished at EOS (not in its tokens) and runs again from its full response; row 1 is one token only.
        batch.Rewind(new[] { 2, 1 }, new[] { 0, 0 });
        Assert.False(batch[2].IsFinished);
        Assert.Empty(batch[1].GeneratedTokens);
        SameAsFresh(lm, batch, "after reviving a finished row");

        batch.Append(new[] { Eos, Eos, Eos });
        Assert.True(batch.AllFinished);
        batch.Rewind(new[] { 0 }, new[] { 1 });
        Assert.False(batch[0].IsFinished);
        Assert.True(batch[1].IsFinished);
        Assert.Throws<InvalidOperationException>(() => batch.Logits(1).ToArray());
        OnnxDecoderTests.AssertClose(Fresh(lm, batch[0]), batch.Logits(0), 1e-4f, "after reviving in an empty batch");

        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Rewind(new[] { 0 }, new[] { 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Rewind(new[] { 3 }, new[] { 0 }));
        Assert.Throws<ArgumentException>(() => batch.Rewind(new[] { 0, 0 }, new[] { 0, 0 }));
        Assert.Throws<ArgumentException>(() => batch.Rewind(new[] { 0 }, new[] { 0, 0 }));
        using var limited = SequenceBatch.Start(lm, new[] { new SequenceRow(0, 0, new[] { 1, 3 }, 1, 3) }, Options);
        limited.Append(new[] { 7 });
        Assert.Throws<ArgumentOutOfRangeException>(() => limited.Rewind(new[] { 0 }, new[] { 1 }));   // at its length limit
    }

    private static void SameAsFresh(ICausalLanguageModel lm, SequenceBatch batch, string what)
    {
        for (int i = 0; i < batch.Count; i++)
            if (!batch[i].IsFinished) OnnxDecoderTests.AssertClose(Fresh(lm, batch[i]), batch.Logits(i), 1e-4f, $"{what}, row {i}");
    }

    /// <summary>Next-token logits of a fresh prefill of the row's prompt and response.</summary>
    private static float[] Fresh(ICausalLanguageModel lm, SequenceRow row)
    {
        using var state = lm.CreateState();
        state.Extend(new[] { row.PromptTokens.Concat(row.GeneratedTokens).ToArray() });
        return state.Output(0).ToArray();
    }
}
