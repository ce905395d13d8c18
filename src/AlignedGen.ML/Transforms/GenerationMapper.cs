using AlignedGen.Decoding;
using AlignedGen.ML.DataViews;
using AlignedGen.Rewards;
using Microsoft.ML.Data;

namespace AlignedGen.ML.Transforms;

/// <summary>Runs <see cref="TextGenerator.GenerateStream"/> over a cursor's prompts (one call per cursor, so seeds match a direct call over the same rows).</summary>
internal sealed class GenerationMapper : IBatchRowMapper
{
    /// <summary>Slot names of the cost column.</summary>
    public static readonly IReadOnlyList<string> CostSlots = new[] { "LmCalls", "LmTokens", "RewardCalls", "RewardTokens", "ElapsedMilliseconds" };

    private readonly DecodingTransformOptions _options;
    private readonly Func<LoadedModels> _models;

    public GenerationMapper(string outputColumn, string inputColumn, DecodingTransformOptions options, Func<LoadedModels> models)
    {
        _options = options;
        _models = models;
        InputColumnNames = InputColumnsFor(inputColumn, options);
        HasReward = options.RewardReference is not null;
        OutputColumns = OutputColumnsFor(outputColumn, options, HasReward);
    }

    /// <summary>The text columns read: the prompt and the optional reference.</summary>
    public static IReadOnlyList<string?> InputColumnsFor(string inputColumn, DecodingTransformOptions options) => new[] { inputColumn, options.ReferenceColumnName };

    /// <summary>The columns added, in order: response, reward (when there is one), token count, finish reason, cost, error (when named). Throws on duplicate names.</summary>
    public static IReadOnlyList<OutputColumn> OutputColumnsFor(string outputColumn, DecodingTransformOptions options, bool hasReward)
    {
        var outputs = new List<OutputColumn> { new(outputColumn, TextDataViewType.Instance) };
        if (hasReward) outputs.Add(new(options.RewardColumnName, NumberDataViewType.Single));
        if (options.TokenCountColumnName is { } t) outputs.Add(new(t, NumberDataViewType.Int32));
        if (options.FinishReasonColumnName is { } f) outputs.Add(new(f, TextDataViewType.Instance));
        if (options.CostColumnName is { } c) outputs.Add(new(c, new VectorDataViewType(NumberDataViewType.Single, CostSlots.Count), CostSlots));
        if (options.ErrorColumnName is { } e) outputs.Add(new(e, TextDataViewType.Instance));
        var duplicate = outputs.GroupBy(o => o.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Output column name '{duplicate.Key}' is used twice (response, reward, token count, finish reason, cost and error columns need distinct names).", nameof(options));
        return outputs;
    }

    public IReadOnlyList<string?> InputColumnNames { get; }

    public IReadOnlyList<OutputColumn> OutputColumns { get; }

    public bool HasReward { get; }

    public CancellationToken Cancellation => _options.Cancellation;

    public IEnumerable<object[]> Map(IEnumerable<string?[]> inputs, CancellationToken cancellationToken)
    {
        var models = _models();
        var generator = new TextGenerator(models.LanguageModel!, models.Reward);
        // Ids are the row positions of this cursor, so that an error names the row.
        var requests = inputs.Select((r, i) => new GenerationRequest(r[0] ?? "", i.ToString(System.Globalization.CultureInfo.InvariantCulture), string.IsNullOrEmpty(r[1]) ? null : r[1]));
        var results = generator.GenerateStream(requests, _options.Strategy.CreateStrategy(), _options.Generation, _options.Progress, cancellationToken);
        foreach (var batch in results.Chunk(_options.Generation.BatchSize))
        {
            var scores = ScoreUnscored(batch, models.Reward, cancellationToken);
            for (int i = 0; i < batch.Length; i++) yield return Row(batch[i], scores?[i]);
        }
    }

    /// <summary>One reward call over the batch's responses the strategy did not score (plain generation with a reward), or null when there are none.</summary>
    private static float?[]? ScoreUnscored(GenerationResult[] batch, IRewardSource? reward, CancellationToken cancellationToken)
    {
        var unscored = Enumerable.Range(0, batch.Length).Where(i => batch[i].Reward is null && batch[i].FinishReason != FinishReason.Error).ToArray();
        if (reward is null || unscored.Length == 0) return null;
        var queries = unscored.Select(i => new RewardQuery(batch[i].Prompt, batch[i].Text, batch[i].Reference)
        {
            PromptTokenIds = batch[i].PromptTokenIds,
            ResponseTokenIds = batch[i].TokenIds,
        }).ToArray();
        var scores = RewardChecks.ScoreChecked(reward, queries, cancellationToken);
        var byRow = new float?[batch.Length];
        for (int j = 0; j < unscored.Length; j++) byRow[unscored[j]] = scores[j];
        return byRow;
    }

    private object[] Row(GenerationResult r, float? score)
    {
        if (r.FinishReason == FinishReason.Error && _options.ErrorColumnName is null)
            throw new InvalidOperationException(
                $"{_options.TransformName}: the prompt in row {r.Id} could not be generated: {r.Error} Fix: correct that row, or set ErrorColumnName to get such rows with their reason in that column while the other rows are generated.");
        var row = new List<object>(6) { r.Text };
        if (HasReward) row.Add(score ?? r.Reward ?? float.NaN);
        if (_options.TokenCountColumnName is not null) row.Add(r.TokenIds.Count);
        if (_options.FinishReasonColumnName is not null) row.Add(r.FinishReason.ToString());
        if (_options.CostColumnName is not null)
            row.Add(new[] { (float)r.Cost.LmCalls, (float)r.Cost.LmTokens, (float)r.Cost.RewardCalls, (float)r.Cost.RewardTokens, (float)r.Cost.Elapsed.TotalMilliseconds });
        if (_options.ErrorColumnName is not null) row.Add(r.Error ?? "");
        return row.ToArray();
    }
}
