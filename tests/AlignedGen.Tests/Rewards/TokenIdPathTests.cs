using AlignedGen.Rewards;
using Xunit;

namespace AlignedGen.Tests.Rewards;

/// <summary>The rm-llama models scored through the token-id path (examples.json ids), no tokenizer involved.</summary>
public sealed class TokenIdPathTests
{
    private static readonly RewardModelOptions IdOptions = new() { UseTokenIds = true };

    [SkippableFact]
    public void SeqCls_reproduces_every_example_from_its_ids()
    {
        var folder = SharedFolder.Require("models", "rm-llama-seqcls");
        var examples = RewardExample.Load(folder);
        using var rm = new SequenceClassificationRewardModel(Path.Combine(folder, "model.onnx"), tokenizer: null, IdOptions);
        Assert.Equal(RewardModelKind.DecoderSequenceClassification, rm.Kind);
        var scores = rm.Score(examples.Select(e => e.ToIdQuery()).ToArray());
        for (var i = 0; i < examples.Count; i++)
            Assert.True(Math.Abs(scores[i] - examples[i].Reward) < 1e-4, $"row {i}: {scores[i]} vs reference {examples[i].Reward}");
    }

    [SkippableFact]
    public void Cached_reproduces_every_example_from_its_ids()
    {
        var folder = SharedFolder.Require("models", "rm-llama-cached");
        var examples = RewardExample.Load(folder);
        using var rm = new CachedDecoderRewardModel(Path.Combine(folder, "model.onnx"), tokenizer: null, IdOptions);
        Assert.Equal(RewardModelKind.CachedDecoder, rm.Kind);
        Assert.Equal((5, 4, 8), (rm.LayerCount, rm.KvHeads, rm.HeadDim));
        var scores = rm.Score(examples.Select(e => e.ToIdQuery()).ToArray());
        for (var i = 0; i < examples.Count; i++)
            Assert.True(Math.Abs(scores[i] - examples[i].Reward) < 1e-4, $"row {i}: {scores[i]} vs reference {examples[i].Reward}");
    }

    [SkippableTheory]
    [InlineData("rm-llama-seqcls")]
    [InlineData("rm-llama-cached")]
    public void Padded_unsorted_batches_equal_rows_scored_alone(string model)
    {
        var folder = SharedFolder.Require("models", model);
        var examples = RewardExample.Load(folder);
        // Rows of different lengths in one batch (no length sorting) so that most rows are padded.
        var batched = RewardModelLoaderTestHelpers.OpenById(folder, new RewardModelOptions { UseTokenIds = true, BatchSize = 64, SortByLength = false });
        var alone = RewardModelLoaderTestHelpers.OpenById(folder, new RewardModelOptions { UseTokenIds = true, BatchSize = 1 });
        using (batched)
        using (alone)
        {
            var queries = examples.Select(e => e.ToIdQuery()).Reverse().ToArray();
            var lengths = queries.Select(q => q.PromptTokenIds!.Count).Distinct().Count();
            Assert.True(lengths > 1, "the examples should have rows of different lengths");
            var a = batched.Score(queries);
            var b = alone.Score(queries);
            for (var i = 0; i < queries.Length; i++)
                Assert.True(Math.Abs(a[i] - b[i]) < 1e-5, $"row {i}: batched {a[i]} vs alone {b[i]}");
        }
    }

    [SkippableFact]
    public void Prompt_ids_plus_response_ids_equal_the_joined_reference_ids()
    {
        // story-pairs.jsonl carries the LM's prompt ids and response ids separately; examples.json the joined ids.
        var folder = SharedFolder.Require("models", "rm-llama-seqcls");
        var pairsPath = SharedFolder.Require("data", "story-pairs.jsonl");
        var examples = RewardExample.Load(folder);
        var pairs = StoryPair.Load(pairsPath, 6);
        using var rm = new SequenceClassificationRewardModel(Path.Combine(folder, "model.onnx"), null, IdOptions);
        var queries = new List<RewardQuery>();
        var expected = new List<float>();
        foreach (var p in pairs)
        {
            foreach (var (text, ids) in new[] { (p.Chosen, p.ChosenIds), (p.Rejected, p.RejectedIds) })
            {
                var example = examples.FirstOrDefault(e => e.Prompt == p.Prompt && e.Response == text);
                if (example is null) continue;
                Assert.Equal(example.InputIds, p.PromptIds.Concat(ids).ToArray());
                queries.Add(new RewardQuery(p.Prompt, text) { PromptTokenIds = p.PromptIds, ResponseTokenIds = ids });
                expected.Add(example.Reward);
            }
        }
        Assert.True(queries.Count >= 4, $"only {queries.Count} examples matched story pairs");
        var scores = rm.Score(queries);
        for (var i = 0; i < scores.Length; i++)
            Assert.True(Math.Abs(scores[i] - expected[i]) < 1e-4, $"row {i}: {scores[i]} vs {expected[i]}");
    }
}
