using AlignedGen.Evaluation;
using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.ML.Transforms;

/// <summary>The models of one MeasureAlignmentQuality transformer, opened once and shared by its cursors, as core evaluator options.</summary>
internal sealed class QualityModels : IDisposable
{
    private readonly OpenedSources _opened = new();

    private QualityModels() { }

    /// <summary>Evaluator options over the opened models (each cursor builds its own <see cref="QualityEvaluator"/> from them).</summary>
    public QualityEvaluatorOptions EvaluatorOptions { get; private set; } = QualityEvaluatorOptions.Default;

    /// <summary>Opens every source <paramref name="options"/> names; an equal reward reference as guide and judge is opened once.</summary>
    public static QualityModels Open(MeasureQualityOptions options)
    {
        var models = new QualityModels();
        var opened = models._opened;
        try
        {
            var lm = options.FluencyModelFolder is null ? null : opened.Own(OnnxCausalLanguageModel.Load(options.FluencyModelFolder, options.Execution));
            models.EvaluatorOptions = new QualityEvaluatorOptions
            {
                GuidingReward = opened.OpenOrNull(options.GuidingReward),
                HeldOutReward = opened.OpenOrNull(options.HeldOutReward),
                Embedder = options.Embedder is null ? null : opened.Open(options.Embedder),
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

    public void Dispose() => _opened.Dispose();
}
