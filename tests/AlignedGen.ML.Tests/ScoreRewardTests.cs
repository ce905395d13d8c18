using AlignedGen.Rewards;
using Microsoft.ML;
using Xunit;

namespace AlignedGen.ML.Tests;

/// <summary>ScoreReward against the reward model called directly, at batch boundaries, with one reward call per batch.</summary>
public class ScoreRewardTests
{
    private readonly MLContext _ml = new(seed: 1);

    public sealed class PairRow
    {
        public string Prompt { get; set; } = "";
        public string Response { get; set; } = "";
        public string Reference { get; set; } = "";
    }

    private static PairRow[] Pairs(int n) => Enumerable.Range(0, n).Select(i => new PairRow
    {
        Prompt = $"Question {i}: ", Response = new string((char)('a' + i % 26), 1 + i % 4) + " end", Reference = i % 3 == 0 ? "ref" : "",
    }).ToArray();

    [Theory]
    [InlineData(5, 1)]
    [InlineData(6, 3)]
    [InlineData(7, 3)]
    public void MatchesTheRewardModelWithOneCallPerBatch(int rows, int batchSize)
    {
        var pairs = Pairs(rows);
        var calls = 0;
        using var rm = RewardModelLoader.FromFolder(TestModels.RewardModel);
        var counting = DelegateRewardSource.Batched("counting", q => { calls++; return rm.Score(q); });
        var data = _ml.Data.LoadFromEnumerable(pairs);
        var output = _ml.Transforms.Text.ScoreReward("Score", "Prompt", "Response", new ScoreRewardOptions(RewardReference.FromSource(counting)) { BatchSize = batchSize }).Fit(data).Transform(data);

        var expected = rm.Score(pairs.Select(p => new RewardQuery(p.Prompt, p.Response)).ToArray());
        var before = calls;
        Assert.Equal(expected, Direct.Floats(output, "Score"));
        Assert.Equal((rows + batchSize - 1) / batchSize, calls - before);
        Assert.Equal(pairs.Select(p => p.Response), Direct.Texts(output, "Response"));
    }

    [Fact]
    public void FolderRewardMatchesDirectScores()
    {
        var pairs = Pairs(4);
        var data = _ml.Data.LoadFromEnumerable(pairs);
        var output = _ml.Transforms.Text.ScoreReward("Score", "Prompt", "Response", new ScoreRewardOptions(RewardReference.FromFolder(TestModels.RewardModel))).Fit(data).Transform(data);
        using var rm = RewardModelLoader.FromFolder(TestModels.RewardModel);
        Assert.Equal(rm.Score(pairs.Select(p => new RewardQuery(p.Prompt, p.Response)).ToArray()), Direct.Floats(output, "Score"));
    }

    [Fact]
    public void ReferencesReachTheRewardAndEmptyCellsAreNone()
    {
        var pairs = Pairs(4);
        var seen = new List<string?>();
        var source = DelegateRewardSource.Batched("refs", q => { seen.AddRange(q.Select(x => x.Reference)); return new float[q.Count]; });
        var data = _ml.Data.LoadFromEnumerable(pairs);
        _ = Direct.Floats(_ml.Transforms.Text.ScoreReward("Score", "Prompt", "Response", new ScoreRewardOptions(RewardReference.FromSource(source)) { ReferenceColumnName = "Reference" })
            .Fit(data).Transform(data), "Score");
        Assert.Equal(new[] { "ref", null, null, "ref" }, seen);
    }
}
