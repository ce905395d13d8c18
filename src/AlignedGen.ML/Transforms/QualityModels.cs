using AlignedGen.Evaluation;
using AlignedGen.Models;

namespace AlignedGen.ML.Transforms;

/// <summary>The models of one MeasureAlignmentQuality transformer, opened once and shared by its cursors, as core evaluator options.</summary>
internal sealed class QualityModels : IDisposable
{
    private readonly List<IDisposable> _owned = new();

    private QualityModels() { }

    /// <summary>Evaluator options over the opened models (each cursor builds its own <see cref="QualityEvaluator"/> from them).</summary>
    public QualityEvaluatorOptions EvaluatorOptions { get; private set; } = QualityEvaluatorOptions.Default;

    /// <summary>Opens every source <paramref name="options"/> names; the same reward spec as guide and judge is opened once.</summary>
    public static QualityModels Open(MeasureQualityOptions options)
    {
        var models = new QualityModels();
        try
        {
            var lm = options.FluencyModelFolder is null ? null : models.Own(OnnxCausalLanguageModel.Load(options.FluencyModelFolder, options.Execution));
            var guiding = options.GuidingReward is null ? null : models.Own(options.GuidingReward.Open());
            var heldOut = options.HeldOutReward is null ? null
                : ReferenceEquals(options.HeldOutReward, options.GuidingReward) ? guiding : models.Own(options.HeldOutReward.Open());
            var embedder = options.Embedder is null ? null : models.Own(options.Embedder.Open());
            models.EvaluatorOptions = new QualityEvaluatorOptions
            {
                GuidingReward = guiding,
                HeldOutReward = heldOut,
                Embedder = embedder,
                FluencyModel = lm,
                MeasureDiversity = options.MeasureDiversity,
                BatchSize = options.BatchSize,
                PromptEncoding = options.PromptEncoding,
            };
            return models;
        }
        catch
        {
            models.Dispose();
            throw;
        }
    }

    private T Own<T>(T value) where T : IDisposable
    {
        _owned.Add(value);
        return value;
    }

    private T Own<T>((T Value, IDisposable? Owned) opened)
    {
        if (opened.Owned is not null) _owned.Add(opened.Owned);
        return opened.Value;
    }

    public void Dispose()
    {
        foreach (var d in _owned) d.Dispose();
        _owned.Clear();
    }
}
