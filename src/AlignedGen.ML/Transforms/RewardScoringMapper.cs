using AlignedGen.ML.DataViews;
using AlignedGen.Rewards;
using Microsoft.ML.Data;

namespace AlignedGen.ML.Transforms;

/// <summary>Scores (prompt, response[, reference]) rows with one reward call per batch.</summary>
internal sealed class RewardScoringMapper : IBatchRowMapper
{
    private readonly ScoreRewardOptions _options;
    private readonly Func<LoadedModels> _models;

    public RewardScoringMapper(string outputColumn, string promptColumn, string responseColumn, ScoreRewardOptions options, Func<LoadedModels> models)
    {
        _options = options;
        _models = models;
        InputColumnNames = new[] { promptColumn, responseColumn, options.ReferenceColumnName };
        OutputColumns = new[] { new OutputColumn(outputColumn, NumberDataViewType.Single) };
    }

    public IReadOnlyList<string?> InputColumnNames { get; }

    public IReadOnlyList<OutputColumn> OutputColumns { get; }

    public CancellationToken Cancellation => _options.Cancellation;

    public IEnumerable<object[]> Map(IEnumerable<string?[]> inputs, CancellationToken cancellationToken)
    {
        var reward = _models().Reward!;
        foreach (var batch in inputs.Chunk(_options.BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var queries = batch.Select(r => new RewardQuery(r[0] ?? "", r[1] ?? "", string.IsNullOrEmpty(r[2]) ? null : r[2])).ToArray();
            var scores = RewardChecks.ScoreChecked(reward, queries, cancellationToken);
            foreach (var s in scores) yield return new object[] { s };
        }
    }
}
