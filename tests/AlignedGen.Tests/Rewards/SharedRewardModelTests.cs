using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using AlignedGen.Tests.Decoding;
using AlignedGen.Tokenization;
using Xunit;

namespace AlignedGen.Tests.Rewards;

/// <summary>The shared reward models loaded from their folders (own tokenizers, text path) against their examples.json.</summary>
public sealed class SharedRewardModelTests
{
    [SkippableTheory]
    [InlineData("rm-llama-seqcls", RewardModelKind.DecoderSequenceClassification)]
    [InlineData("rm-llama-cached", RewardModelKind.CachedDecoder)]
    [InlineData("rm-wordpiece", RewardModelKind.EncoderSequenceClassification)]
    public void Loader_detects_the_layout_from_the_graph(string model, RewardModelKind expected)
    {
        var folder = SharedFolder.Require("models", model);
        Assert.Equal(expected, RewardModelLoader.DetectKind(folder));
        using var rm = RewardModelLoader.FromFolder(folder);
        Assert.Equal(expected, rm.Kind);
        Assert.Equal(model, rm.Name);
        Assert.NotNull(rm.Tokenizer);
        Assert.Equal(expected == RewardModelKind.CachedDecoder, rm is CachedDecoderRewardModel);
    }

    [SkippableTheory]
    [InlineData("rm-llama-seqcls")]
    [InlineData("rm-llama-cached")]
    [InlineData("rm-wordpiece")]
    public void Text_path_reproduces_every_example(string model)
    {
        var folder = SharedFolder.Require("models", model);
        var examples = RewardExample.Load(folder);
        using var rm = RewardModelLoader.FromFolder(folder);
        var scores = rm.Score(examples.Select(e => e.ToQuery()).ToArray());
        for (var i = 0; i < examples.Count; i++)
            Assert.True(Math.Abs(scores[i] - examples[i].Reward) < 1e-4, $"{model} row {i}: {scores[i]} vs reference {examples[i].Reward}");
        Assert.Equal(0, rm.TruncatedRowCount);
    }

    [SkippableTheory]
    [InlineData("rm-llama-seqcls", 512)]
    [InlineData("rm-wordpiece", 256)]
    public void Maximum_length_comes_from_the_folder(string model, int expected)
    {
        using var rm = RewardModelLoader.FromFolder(SharedFolder.Require("models", model));
        Assert.Equal(expected, rm.MaxLength);
    }

    [SkippableFact]
    public void Text_path_gives_the_tokens_of_the_reference_ids()
    {
        var folder = SharedFolder.Require("models", "rm-llama-seqcls");
        using var rm = RewardModelLoader.FromFolder(folder);
        foreach (var e in RewardExample.Load(folder))
            Assert.Equal(e.InputIds, rm.Encoder.Encode(e.ToQuery(), 0).Ids);
    }

    [SkippableFact]
    public void Token_id_path_equals_text_path_on_lm_ids_of_story_samples()
    {
        var folder = SharedFolder.Require("models", "rm-llama-seqcls");
        var lmTokenizer = TokenizerLoader.FromFolder(SharedFolder.Require("models", "stories260K"));
        var samples = StorySample.Load(SharedFolder.Require("data", "story-samples.jsonl"), 40);
        using var textRm = RewardModelLoader.FromFolder(folder);
        using var idRm = RewardModelLoader.FromFolder(folder, new RewardModelOptions { UseTokenIds = true });
        Assert.True(TokenizerComparer.SameVocabulary(lmTokenizer, textRm.Tokenizer!));
        // The LM's view: prompt ids with BOS, then the continuation's ids.
        var idQueries = samples.Select(s => new RewardQuery(s.Prompt, s.Response)
        {
            PromptTokenIds = lmTokenizer.Encode(s.Prompt),
            ResponseTokenIds = lmTokenizer.Encode(s.Response, addSpecialTokens: false),
        }).ToArray();
        var byIds = idRm.Score(idQueries);
        var byText = textRm.Score(samples.Select(s => new RewardQuery(s.Prompt, s.Response)).ToArray());
        for (var i = 0; i < samples.Count; i++)
            Assert.True(Math.Abs(byIds[i] - byText[i]) < 1e-5, $"row {i}: ids {byIds[i]} vs text {byText[i]}");
        Assert.True(byText.Distinct().Count() > samples.Count / 2, "scores should vary across samples");
    }

    [SkippableFact]
    public void WordPiece_padded_batches_equal_rows_scored_alone()
    {
        var folder = SharedFolder.Require("models", "rm-wordpiece");
        var queries = StorySample.Load(SharedFolder.Require("data", "story-samples.jsonl"), 24).Select(s => new RewardQuery(s.Prompt, s.Response)).ToArray();
        using var batched = RewardModelLoader.FromFolder(folder, new RewardModelOptions { BatchSize = 24, SortByLength = false });
        using var alone = RewardModelLoader.FromFolder(folder, new RewardModelOptions { BatchSize = 1 });
        var a = batched.Score(queries);
        var b = alone.Score(queries);
        for (var i = 0; i < queries.Length; i++)
            Assert.True(Math.Abs(a[i] - b[i]) < 1e-5, $"row {i}: batched {a[i]} vs alone {b[i]}");
    }

    [SkippableFact]
    public void Empty_responses_are_scored_as_the_prompt_alone()
    {
        var folder = SharedFolder.Require("models", "rm-llama-cached");
        using var rm = RewardModelLoader.FromFolder(folder);
        var prompt = "Once upon a time, there was a dragon.";
        var ids = rm.Tokenizer!.Encode(prompt);
        var scores = rm.Score(new[] { new RewardQuery(prompt, ""), new RewardQuery(prompt, "") { PromptTokenIds = ids, ResponseTokenIds = Array.Empty<int>() } });
        Assert.Equal(scores[0], scores[1]);
        using var wordpiece = RewardModelLoader.FromFolder(SharedFolder.Require("models", "rm-wordpiece"));
        Assert.True(float.IsFinite(wordpiece.Score(new[] { new RewardQuery(prompt, "") })[0]));
    }

    [SkippableFact]
    public void Cached_model_from_the_loader_guides_ARGS_like_the_plain_reference()
    {
        using var lm = OnnxCausalLanguageModel.Load(SharedFolder.Require("models", "stories260K"));
        using var rm = (CachedDecoderRewardModel)RewardModelLoader.FromFolder(SharedFolder.Require("models", "rm-llama-cached"));
        var prompt = "Once upon a time, there was a dragon.";
        var fast = new TextGenerator(lm, rm).Generate(new[] { new GenerationRequest(prompt) },
            new ArgsStrategy(new ArgsOptions(topK: 10, weight: 1.5)), new GenerationOptions(maxNewTokens: 16))[0];
        // Oracle: every candidate sequence scored from scratch through the plain (batched, empty-past) path on LM ids.
        using var plainRm = RewardModelLoader.FromFolder(SharedFolder.Require("models", "rm-llama-cached"), new RewardModelOptions { UseTokenIds = true });
        float Reward(IReadOnlyList<int> p, IReadOnlyList<int> r) =>
            plainRm.Score(new[] { new RewardQuery("", "") { PromptTokenIds = p, ResponseTokenIds = r } })[0];
        var plain = PlainArgsReference.Greedy(lm, lm.Tokenizer.Encode(prompt), Reward, 10, 1.5, 16, lm.Config.EosTokenIds.ToArray());
        Assert.Equal(plain, fast.TokenIds);
        // The incremental path feeds one token per candidate; rescoring every candidate in full would cost at least k · steps · prompt length.
        var promptLength = lm.Tokenizer.Encode(prompt).Count;
        Assert.True(fast.Cost.RewardTokens < 10 * 16 * promptLength, $"reward tokens {fast.Cost.RewardTokens}: the cached candidate path was not used");
    }
}
