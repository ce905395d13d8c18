using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Tests.Decoding;
using Xunit;

namespace AlignedGen.Tests.Models;

/// <summary>IDecoderState.Refill: a refilled row must behave exactly like a fresh prefill of its tokens; other rows must not notice.</summary>
public class DecoderRefillTests
{
    [Fact]
    public void Refilled_rows_equal_fresh_prefills_and_other_rows_are_untouched_builder_model()
    {
        using var models = new DarwinTestModels();
        using var lm = models.RandomLm();
        CheckRefill(lm, tolerance: 1e-4f);
    }

    [SkippableTheory]
    [InlineData("stories260K", 512)]
    [InlineData("tiny-random-llama-fp32-gqa", 32000)]
    public void Refilled_rows_equal_fresh_prefills_and_other_rows_are_untouched_shared_models(string name, int vocab)
    {
        using var lm = OnnxCausalLanguageModel.Load(SharedFolder.Require("models", name), new IdTokenizer(vocab, 1, 2));
        CheckRefill(lm, tolerance: 1e-4f);
    }

    private static void CheckRefill(ICausalLanguageModel lm, float tolerance)
    {
        var sequences = new List<List<int>> { new() { 1, 3, 4, 5 }, new() { 1, 6, 7, 8 }, new() { 1, 7, 8, 9, 10, 11, 12, 13 } };
        using var state = lm.CreateState();
        state.Extend(sequences.Select(s => (IReadOnlyList<int>)s.ToArray()).ToArray());
        Step(state, sequences, 3, 4, 5);
        Compare(lm, state, sequences, tolerance, "before");

        // Longer than the whole cache: the others gain padding.
        var longer = new List<int> { 1, 12, 13, 14, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };
        long calls = state.Counters.Calls, tokens = state.Counters.Tokens;
        state.Refill(new[] { 1 }, new[] { longer.ToArray() });
        sequences[1] = longer;
        Assert.Equal(calls + 1, state.Counters.Calls);
        Assert.Equal(tokens + longer.Count, state.Counters.Tokens);
        Assert.Equal(longer.Count, state.Length(1));
        Compare(lm, state, sequences, tolerance, "after a long refill");
        Step(state, sequences, 6, 7, 8);
        Compare(lm, state, sequences, tolerance, "a step after a long refill");

        // Two shorter rows at once.
        state.Refill(new[] { 2, 0 }, new[] { new[] { 1, 5 }, new[] { 1, 9, 9, 3 } });
        sequences[2] = new List<int> { 1, 5 };
        sequences[0] = new List<int> { 1, 9, 9, 3 };
        Compare(lm, state, sequences, tolerance, "after two short refills");
        Step(state, sequences, 4, 4, 4);
        Step(state, sequences, 5, 6, 7);
        Compare(lm, state, sequences, tolerance, "steps after short refills");

        // Rows keep working through a fork after a refill.
        state.SelectRows(new[] { 2, 2, 1 });
        sequences = new List<List<int>> { new(sequences[2]), new(sequences[2]), new(sequences[1]) };
        Step(state, sequences, 3, 9, 3);
        Compare(lm, state, sequences, tolerance, "after a fork");

        Assert.Throws<ArgumentException>(() => state.Refill(new[] { 0, 0 }, new[] { new[] { 1 }, new[] { 1 } }));
        Assert.Throws<ArgumentOutOfRangeException>(() => state.Refill(new[] { 3 }, new[] { new[] { 1 } }));
        Assert.Throws<ArgumentException>(() => state.Refill(new[] { 0 }, new[] { new[] { 1 }, new[] { 1 } }));
    }

    internal static void Step(IDecoderState state, List<List<int>> sequences, params int[] tokens)
    {
        state.Step(tokens);
        for (int i = 0; i < tokens.Length; i++) sequences[i].Add(tokens[i]);
    }

    internal static void Compare(ICausalLanguageModel lm, IDecoderState state, List<List<int>> sequences, float tolerance, string what)
    {
        for (int r = 0; r < sequences.Count; r++)
        {
            using var fresh = lm.CreateState();
            fresh.Extend(new[] { sequences[r].ToArray() });
            Assert.Equal(sequences[r].Count, state.Length(r));
            OnnxDecoderTests.AssertClose(fresh.Output(0), state.Output(r), tolerance, $"{what}, row {r}");
        }
    }
}
