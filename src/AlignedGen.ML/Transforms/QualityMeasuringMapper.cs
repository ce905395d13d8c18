using AlignedGen.Evaluation;
using AlignedGen.ML.DataViews;
using Microsoft.ML.Data;

namespace AlignedGen.ML.Transforms;

/// <summary>Measures (prompt, response[, reference]) rows with one <see cref="QualityEvaluator.EvaluateStream"/> per cursor, batch by batch.</summary>
internal sealed class QualityMeasuringMapper : IBatchRowMapper
{
    private readonly MeasureQualityOptions _options;
    private readonly Func<QualityModels> _models;

    public QualityMeasuringMapper(string promptColumn, string responseColumn, MeasureQualityOptions options, Func<QualityModels> models)
    {
        _options = options;
        _models = models;
        InputColumnNames = InputColumnsFor(promptColumn, responseColumn, options);
        OutputColumns = OutputColumnsFor(options);
    }

    /// <summary>The text columns read: prompt, response and the optional reference.</summary>
    public static IReadOnlyList<string?> InputColumnsFor(string promptColumn, string responseColumn, MeasureQualityOptions options)
        => new[] { promptColumn, responseColumn, options.ReferenceColumnName };

    /// <summary>
    /// The metric columns, in order: held-out reward, guiding reward (when configured), diversity (when on), coherence
    /// (with an embedder), fluency (with a model folder), length. Doubles (NaN = no value) and an Int32 length. Throws on duplicate names.
    /// </summary>
    public static IReadOnlyList<OutputColumn> OutputColumnsFor(MeasureQualityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var outputs = new List<OutputColumn>();
        var r8 = NumberDataViewType.Double;
        if (options.HeldOutReward is not null) outputs.Add(new(options.HeldOutRewardColumnName, r8));
        if (options.GuidingReward is not null) outputs.Add(new(options.GuidingRewardColumnName, r8));
        if (options.MeasureDiversity) outputs.Add(new(options.DiversityColumnName, r8));
        if (options.Embedder is not null) outputs.Add(new(options.CoherenceColumnName, r8));
        if (options.FluencyModelFolder is not null) outputs.Add(new(options.FluencyColumnName, r8));
        outputs.Add(new(options.LengthColumnName, NumberDataViewType.Int32));
        var duplicate = outputs.GroupBy(o => o.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Output column name '{duplicate.Key}' is used by {duplicate.Count()} metrics; the metric columns need distinct names. Fix: set ColumnPrefix or the metrics' *ColumnName options to different names.", nameof(options));
        return outputs;
    }

    public IReadOnlyList<string?> InputColumnNames { get; }

    public IReadOnlyList<OutputColumn> OutputColumns { get; }

    public CancellationToken Cancellation => _options.Cancellation;

    public IEnumerable<object[]> Map(IEnumerable<string?[]> inputs, CancellationToken cancellationToken)
    {
        // One evaluator per cursor (it is not thread-safe); the models it uses are shared.
        var evaluator = new QualityEvaluator(_models().EvaluatorOptions);
        var rows = inputs.Select(r => new ResponseToEvaluate(r[0] ?? "", r[1] ?? "", string.IsNullOrEmpty(r[2]) ? null : r[2]));
        foreach (var result in evaluator.EvaluateStream(rows, _options.Progress, cancellationToken)) yield return Values(result);
    }

    private object[] Values(EvaluatedResponse r)
    {
        var values = new List<object>(OutputColumns.Count);
        if (_options.HeldOutReward is not null) values.Add(r.HeldOutReward ?? double.NaN);
        if (_options.GuidingReward is not null) values.Add(r.GuidingReward ?? double.NaN);
        if (_options.MeasureDiversity) values.Add(r.Diversity ?? double.NaN);
        if (_options.Embedder is not null) values.Add(r.Coherence ?? double.NaN);
        if (_options.FluencyModelFolder is not null) values.Add(r.Fluency ?? double.NaN);
        values.Add(r.Length);
        return values.ToArray();
    }
}
