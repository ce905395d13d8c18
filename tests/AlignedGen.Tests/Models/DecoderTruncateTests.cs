using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Tests.Decoding;
using Xunit;
using static AlignedGen.Tests.Models.DecoderRefillTests;

namespace AlignedGen.Tests.Models;

/// <summary>
/// IDecoderState.Truncate: a row cut back to n tokens and fed again must give exactly what a fresh prefill of its
/// tokens gives (as if the dropped tokens had never been fed), without a model call; other rows must not notice.
/// The oracle is a fresh single-row state per sequence.
/// </summary>
public class DecoderTruncateTests
{
    [Fact]
    public void Truncated_rows_fed_again_equal_fresh_prefills_builder_model()
    {
        using var models = new DarwinTestModels();
        using var lm = models.RandomLm();
        using var state = lm.CreateState();
        CheckTruncate(lm, state, chunks: true);
    }

    [SkippableTheory]
    [InlineData("stories260K", 512, true)]
    [InlineData("tiny-random-llama-fp32-gqa", 32000, true)]
    [InlineData("tiny-random-llama-fp32-gqa", 32000, false)]
    public void Truncated_rows_fed_again_equal_fresh_prefills_shared_models(string name, int vocab, bool shareBuffers)
    {
        using var lm = OnnxCausalLanguageModel.Load(SharedFolder.Require("models", name), new IdTokenizer(vocab, 1, 2));
        using var state = lm.CreateState(shareBuffers);
        // ONNX Runtime's GroupQueryAttention takes several tokens per row after the prefill only for batch 1: steps then.
        CheckTruncate(lm, state, chunks: !name.EndsWith("gqa", StringComparison.Ordinal));
    }

    private static void CheckTruncate(ICausalLanguageModel lm, IDecoderState state, bool chunks)
    {
        const float tolerance = 1e-4f;
        var sequences = new List<List<int>> { new() { 1, 3, 4, 5 }, new() { 1, 6, 7, 8, 9, 10 }, new() { 1, 7, 8 } };
        state.Extend(sequences.Select(s => (IReadOnlyList<int>)s.ToArray()).ToArray());
        Step(state, sequences, 3, 4, 5);
        Step(state, sequences, 6, 7, 8);
        var untouched = state.Output(1).ToArray();

        // Rows 0 and 2 lose tokens; row 1 keeps all of its own. No model call.
        long calls = state.Counters.Calls;
        state.Truncate(new[] { 2, 0, 1 }, new[] { 2, 4, sequences[1].Count });
        sequences[0] = sequences[0].Take(4).ToList();
        sequences[2] = sequences[2].Take(2).ToList();
        Assert.Equal(calls, state.Counters.Calls);
        Assert.Equal(new[] { 4, 8, 2 }, Enumerable.Range(0, 3).Select(state.Length));
        Assert.Throws<InvalidOperationException>(() => state.Output(0).ToArray());
        Assert.Throws<InvalidOperationException>(() => state.Output(2).ToArray());
        Assert.Equal(untouched, state.Output(1).ToArray());

        Step(state, sequences, 9, 10, 11);
        Compare(lm, state, sequences, tolerance, "one step after truncating two rows");
        Step(state, sequences, 12, 13, 3);
        Compare(lm, state, sequences, tolerance, "two steps after truncating two rows");

        // Every row cut back: columns padding in all rows go (left padding), or the unused tail (right padding).
        int before = ((OnnxDecoderState)state).CacheLength;
        state.Truncate(new[] { 0, 1, 2 }, new[] { 3, 7, 3 });
        for (int r = 0; r < 3; r++) sequences[r] = sequences[r].Take(new[] { 3, 7, 3 }[r]).ToList();
        Assert.True(((OnnxDecoderState)state).CacheLength < before, "a cut across all rows shrinks the cache");
        if (chunks)
        {
            state.Extend(new[] { new[] { 4, 5 }, new[] { 6, 7 }, new[] { 8, 9 } });
            for (int r = 0; r < 3; r++) sequences[r].AddRange(new[] { new[] { 4, 5 }, new[] { 6, 7 }, new[] { 8, 9 } }[r]);
        }
        else
        {
            Step(state, sequences, 4, 6, 8);
            Step(state, sequences, 5, 7, 9);
        }
        Compare(lm, state, sequences, tolerance, "two tokens after truncating every row");

        // A truncated row forked before it is fed: both copies wait for a token, then both decode like fresh rows.
        state.Truncate(new[] { 1 }, new[] { 5 });
        state.SelectRows(new[] { 1, 1, 0 });
        sequences = new List<List<int>> { sequences[1].Take(5).ToList(), sequences[1].Take(5).ToList(), new(sequences[0]) };
        Assert.Throws<InvalidOperationException>(() => state.Output(1).ToArray());
        Step(state, sequences, 3, 4, 5);
        Compare(lm, state, sequences, tolerance, "after forking a truncated row");

        Assert.Throws<ArgumentOutOfRangeException>(() => state.Truncate(new[] { 0 }, new[] { 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => state.Truncate(new[] { 0 }, new[] { sequences[0].Count + 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => state.Truncate(new[] { 3 }, new[] { 1 }));
        Assert.Throws<ArgumentException>(() => state.Truncate(new[] { 0, 0 }, new[] { 1, 1 }));
        Assert.Throws<ArgumentException>(() => state.Truncate(new[] { 0 }, new[] { 1, 1 }));
        Compare(lm, state, sequences, tolerance, "after rejected truncations");
    }
}
