using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using AlignedGen.Tokenization;
using Xunit;

namespace AlignedGen.Tests.Decoding;

/// <summary>
/// DARWIN's mutation step with real ONNX models whose output is known by construction: bigram chain models over a word
/// list, so the model writes an exact numbered list (or an exact malformed one) after the mutation prompt.
/// </summary>
public class DarwinMutationTests : IDisposable
{
    private static readonly WordListTokenizer Words = new(
        "GO", "\n1.", "\n2.", "\n3.", "\n4.", "\n5.", " alpha", " bravo", " charlie", " delta", " echo", " [A]", " story", " end");

    private readonly DarwinTestModels _models = new();

    public void Dispose() => _models.Dispose();

    private static int W(string word) => Words.Id(word);

    /// <summary>GO → 1. alpha 2. bravo ... (<paramref name="items"/> items) → EOS; [A] and unknown words → story end → EOS.</summary>
    private OnnxCausalLanguageModel ListWriter(int items)
    {
        var next = Enumerable.Repeat(W("story"), Words.VocabularySize).ToArray();
        string[] markers = { "1.", "2.", "3.", "4.", "5." }, names = { "alpha", "bravo", "charlie", "delta", "echo" };
        next[W("GO")] = W("1.");
        for (int k = 0; k < 5; k++)
        {
            next[W(markers[k])] = W(names[k]);
            next[W(names[k])] = k + 1 < items ? W(markers[k + 1]) : 2;
        }
        next[W("story")] = W("end");
        next[W("end")] = 2;
        return _models.ChainLm(Words, next, $"list{items}");
    }

    private sealed class LengthReward : IRewardSource
    {
        public string Name => "length";
        public float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default)
            => queries.Select(q => (float)q.ResponseTokenIds!.Count).ToArray();
    }

    private static DarwinTrace Run(ICausalLanguageModel lm, string prompt, DarwinOptions options)
    {
        var result = new TextGenerator(lm, new LengthReward()).Generate(new[] { new GenerationRequest(prompt) }, new DarwinStrategy(options), new GenerationOptions(maxNewTokens: 20, seed: 1))[0];
        return Assert.IsType<DarwinTrace>(result.Trace);
    }

    private static DarwinOptions Options(string? prompt = null, ChatTemplate? template = null) =>
        new(iterations: 1, replacementPeriod: 4, mutationPrompt: prompt ?? "Rewrite {instruction} into {count} clearer instructions: GO", mutationChatTemplate: template);

    [Fact]
    public void A_model_that_writes_five_numbered_instructions_gives_one_beam_per_instruction()
    {
        using var lm = ListWriter(5);
        var trace = Run(lm, "Write something", Options());
        var mutation = Assert.Single(Assert.Single(trace.Iterations).Mutations);
        Assert.Equal("\n1. alpha\n2. bravo\n3. charlie\n4. delta\n5. echo", mutation.GeneratedText);
        Assert.True(mutation.Parsed);
        Assert.Null(mutation.Problem);
        Assert.Equal(10, mutation.GeneratedTokenCount);
        Assert.Equal(new[] { "alpha", "bravo", "charlie", "delta", "echo" }, trace.Iterations[0].Instructions);
        Assert.Equal("Write something", trace.Iterations[0].Parent);
        Assert.False(trace.ReplacementOnly);
        Assert.DoesNotContain(trace.Notes, n => n.Contains("Mutation"));
        Assert.True(trace.SampledTokens >= 10 + 2);
    }

    [Fact]
    public void The_default_few_shot_prompt_is_what_the_model_continues()
    {
        using var lm = ListWriter(5);
        // The default prompt ends with the instruction; this instruction's last word starts the list.
        var trace = Run(lm, "Write GO", new DarwinOptions(iterations: 1, replacementPeriod: 4));
        Assert.True(trace.Iterations[0].Mutations[0].Parsed);
        Assert.Equal(new[] { "alpha", "bravo", "charlie", "delta", "echo" }, trace.Iterations[0].Instructions);
    }

    [Fact]
    public void A_list_of_four_falls_back_to_copies_of_the_parent_and_says_DARWIN_ran_replacement_only()
    {
        using var lm = ListWriter(4);
        var trace = Run(lm, "Write something", Options());
        var mutation = trace.Iterations[0].Mutations[0];
        Assert.False(mutation.Parsed);
        Assert.Contains("4 items, not 5", mutation.Problem);
        Assert.Equal(Enumerable.Repeat("Write something", 5), trace.Iterations[0].Instructions);
        Assert.True(trace.ReplacementOnly);
        var note = Assert.Single(trace.Notes);
        Assert.Contains("replacement-only", note);
        Assert.Contains("docs/darwin.md", note);
    }

    [Fact]
    public void The_mutation_prompt_is_wrapped_in_the_chat_template()
    {
        using var lm = ListWriter(5);
        // The template's generation prompt ends with [A], after which the model writes "story end", not a list.
        var template = ChatTemplate.Custom(user: "{user}", assistant: "{assistant}", generationPrompt: " [A]");
        var trace = Run(lm, "Write something", Options(template: template));
        var mutation = trace.Iterations[0].Mutations[0];
        Assert.Equal(" story end", mutation.GeneratedText);
        Assert.False(mutation.Parsed);
        Assert.Contains("no numbered list", mutation.Problem);
    }

    [Theory]
    [InlineData(false, 12, 6)]
    [InlineData(true, 31, 17)]
    public void The_LM_cost_counts_the_seed_the_mutation_and_the_beam_batches(bool mutate, int positions, int calls)
    {
        using var lm = ListWriter(5);
        // "Write something" = [BOS, unk, unk]; unk -> story -> end -> EOS. Seed: prefill 3 + 2 steps (3 calls).
        // Mutation: prompt [BOS, 7 × unk, GO] = 9 + 10 list tokens, one step each (11 calls); it lists 5, not 2: copies.
        // Beams: 2 copies of the instruction, prefilled once (3) and forked, 2 steps of 2 rows (3 calls); keep = beams: no replacement.
        var options = new DarwinOptions(mutations: 2, keep: 2, iterations: 1, replacementPeriod: 40, mutate: mutate,
            mutationPrompt: "Rewrite {instruction} into {count} clearer instructions: GO");
        var result = new TextGenerator(lm, new LengthReward()).Generate(new[] { new GenerationRequest("Write something") }, new DarwinStrategy(options),
            new GenerationOptions(maxNewTokens: 20, seed: 1))[0];
        Assert.Equal(new[] { W("story"), W("end") }, result.TokenIds);
        Assert.Equal(positions, result.Cost.LmTokens);
        Assert.Equal(calls, result.Cost.LmCalls);
        Assert.Equal(2 + 2 + 2 + (mutate ? 10 : 0), ((DarwinTrace)result.Trace!).SampledTokens);
    }

    [Fact]
    public void Mutation_rounds_multiply_the_beams_and_a_custom_mutator_must_answer_in_shape()
    {
        using var lm = ListWriter(5);
        var trace = Run(lm, "Write something", new DarwinOptions(mutations: 5, mutationRounds: 2, keep: 3, iterations: 1, replacementPeriod: 4,
            mutationPrompt: "Rewrite {instruction}: GO"));
        Assert.Equal(2, trace.Iterations[0].Mutations.Count);
        Assert.Equal(10, trace.Iterations[0].Instructions.Count);

        var options = new DarwinOptions(mutations: 5, iterations: 1, mutator: new ShortMutator());
        var ex = Assert.Throws<InvalidOperationException>(() => Run(lm, "Write something", options));
        Assert.Contains("ShortMutator", ex.Message);
        Assert.Contains("asked for 5", ex.Message);
    }

    private sealed class ShortMutator : IInstructionMutator
    {
        public IReadOnlyList<IReadOnlyList<DarwinMutation>> Mutate(DecodingContext context, IReadOnlyList<string> parents, int count, int rounds, int iteration, CancellationToken cancellationToken)
            => parents.Select(p => (IReadOnlyList<DarwinMutation>)new[] { new DarwinMutation { GeneratedText = "", Parsed = true, Instructions = new[] { p, p } } }).ToArray();
    }
}
