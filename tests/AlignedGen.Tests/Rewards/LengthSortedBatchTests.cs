using AlignedGen.ModelBuilding;
using AlignedGen.Rewards;
using AlignedGen.Tests.ModelBuilding;
using Xunit;

namespace AlignedGen.Tests.Rewards;

/// <summary>
/// The reward models and the sentence embedder sort the queries of one call by token length, run padded sub-batches of
/// similar lengths and put the results back in query order. These tests feed queries whose lengths are deliberately
/// out of order and check every score equals the query scored alone (and, for the built model, the reward known by
/// construction), at its original index.
/// </summary>
public sealed class LengthSortedBatchTests
{
    // Lengths (in bytes) chosen out of order; long, short and equal lengths interleave so sorting permutes them.
    private static readonly (string Prompt, string Response)[] Texts =
    [
        ("the cat sat on the mat", "and then it slept for a very long time"),
        ("a", "b"),
        ("once upon a time", "there was a dog"),
        ("zz", "quiet"),
        ("a long prompt about the sea and the ships on it", "waves"),
        ("x", "a response that is longer than its prompt by far, with commas, and more"),
        ("same size", "equal len"),
        ("size same", "len equal"),
        ("tiny", ""),
        ("the end", "of the story is near, said the old man to the boy"),
    ];

    private static RewardQuery[] Queries() => Texts.Select(t => new RewardQuery(t.Prompt, t.Response)).ToArray();

    [Theory]
    [InlineData(RewardRule.PrefixMeanValue)]
    [InlineData(RewardRule.LastTokenValue)]
    public void Built_model_gives_each_query_its_own_reward_whatever_the_sorting_and_batching(RewardRule rule)
    {
        using var temp = new TempFolder();
        var values = Enumerable.Range(0, ByteLevelVocabulary.Size).Select(i => (float)Math.Sin(i * 0.37) * 2f).ToArray();
        var options = new TinyRewardModelOptions(values, rule)
        {
            Architecture = new TinyTransformerArchitecture { Layers = 2, Heads = 4, KvHeads = 2, HeadSize = 8, MlpSize = 16, MaxPositions = 128, Seed = 7 },
        };
        var folder = TinyRewardModelBuilder.WriteSequenceClassificationFolder(options, temp.Sub("rm"));
        var queries = Queries();

        using var alone = RewardModelLoader.FromFolder(folder, new RewardModelOptions { BatchSize = 1, SortByLength = false });
        var lengths = queries.Select((q, i) => alone.Encoder.Encode(q, i).Length).ToArray();
        Assert.NotEqual(lengths.Order().ToArray(), lengths); // sorting really permutes this call
        Assert.True(lengths.Distinct().Count() >= 6);

        // Oracle: the reward by construction of each query's own ids, then the query scored alone in its own call.
        var expected = queries.Select((q, i) => options.ExpectedReward(alone.Encoder.Encode(q, i).Ids)).ToArray();
        var oneByOne = queries.Select(q => alone.Score(new[] { q })[0]).ToArray();
        for (var i = 0; i < queries.Length; i++)
            Assert.True(Math.Abs(expected[i] - oneByOne[i]) < 1e-4, $"query {i}: alone {oneByOne[i]} vs construction {expected[i]}");
        Assert.True(oneByOne.Distinct().Count() >= 8, "rewards should differ across queries so a misplaced score is caught");

        // Sorted with the default split, with one run per distinct length (overhead 0), with the fewest runs; and unsorted.
        foreach (var (batch, sort, overhead) in new[] { (3, true, 32), (4, true, 0), (16, true, 32), (16, true, int.MaxValue), (3, false, 32), (16, false, 32) })
        {
            using var rm = RewardModelLoader.FromFolder(folder, new RewardModelOptions { BatchSize = batch, SortByLength = sort, CallOverheadTokens = overhead });
            var scores = rm.Score(queries);
            for (var i = 0; i < queries.Length; i++)
                Assert.True(Math.Abs(scores[i] - oneByOne[i]) < 1e-5, $"batch {batch}, sort {sort}, overhead {overhead}, query {i}: {scores[i]} vs alone {oneByOne[i]}");
        }
    }

    [SkippableTheory]
    [InlineData("rm-llama-seqcls")]
    [InlineData("rm-llama-cached")]
    [InlineData("rm-wordpiece")]
    public void Shared_model_scores_a_length_sorted_call_like_one_query_at_a_time(string model)
    {
        var folder = SharedFolder.Require("models", model);
        var samples = StorySample.Load(SharedFolder.Require("data", "story-samples.jsonl"), 48);
        var queries = samples.Select(s => new RewardQuery(s.Prompt, s.Response)).ToArray();
        using var sorted = RewardModelLoader.FromFolder(folder); // defaults: BatchSize 16, SortByLength
        using var alone = RewardModelLoader.FromFolder(folder, new RewardModelOptions { BatchSize = 1, SortByLength = false });
        Assert.True(sorted.Options.SortByLength);
        var lengths = queries.Select((q, i) => sorted.Encoder.Encode(q, i).Length).ToArray();
        Assert.NotEqual(lengths.Order().ToArray(), lengths);

        var batched = sorted.Score(queries);
        var oneByOne = queries.Select(q => alone.Score(new[] { q })[0]).ToArray();
        for (var i = 0; i < queries.Length; i++)
            Assert.True(Math.Abs(batched[i] - oneByOne[i]) < 1e-5, $"row {i}: sorted batch {batched[i]} vs alone {oneByOne[i]}");
        Assert.True(oneByOne.Distinct().Count() > queries.Length / 2, "scores should vary across samples");
    }

    [Fact]
    public void Sentence_embedder_gives_each_text_its_own_embedding_in_a_length_sorted_call()
    {
        using var embedder = MiniLmSentenceEmbedder.Create(new SentenceEmbedderOptions { BatchSize = 4, CallOverheadTokens = 2 });
        var texts = Texts.SelectMany(t => new[] { t.Prompt, t.Response }).Where(t => t.Length > 0).ToArray();
        Assert.NotEqual(texts.OrderBy(t => t.Length).ToArray(), texts);
        var batched = embedder.Embed(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            var alone = embedder.Embed(new[] { texts[i] })[0];
            Assert.True(batched[i].Zip(alone, (x, y) => Math.Abs(x - y)).Max() < 1e-5, $"text {i} '{texts[i]}' differs in a sorted batch");
        }
    }
}
