using Microsoft.ML;

namespace AlignedGen.ML;

/// <summary>
/// AlignedGen's transforms on <c>mlContext.Transforms.Text</c>. Each takes column names and one options object that
/// wraps the core library's options and names the model folder(s) and reward.
/// </summary>
public static class AlignedGenCatalog
{
    /// <summary>Decodes a response for each prompt in <paramref name="inputColumnName"/> (greedy or sampled) into <paramref name="outputColumnName"/>.</summary>
    public static TextGenerationEstimator GenerateText(this TransformsCatalog.TextTransforms catalog, string outputColumnName, string inputColumnName, GenerateTextOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TextGenerationEstimator(outputColumnName, inputColumnName, options);
    }

    /// <summary>Decodes with ARGS or Best-of-N guided by the options' reward; adds the response and its reward.</summary>
    public static TextGenerationEstimator ApplyRewardGuidedDecoding(this TransformsCatalog.TextTransforms catalog, string outputColumnName, string inputColumnName, RewardGuidedDecodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TextGenerationEstimator(outputColumnName, inputColumnName, options);
    }

    /// <summary>Decodes with DARWIN (reward-guided instruction mutation and beam replacement, Hung et al. 2024); adds the best response and its reward.</summary>
    public static TextGenerationEstimator ApplyDarwinDecoding(this TransformsCatalog.TextTransforms catalog, string outputColumnName, string inputColumnName, DarwinDecodingOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new TextGenerationEstimator(outputColumnName, inputColumnName, options);
    }

    /// <summary>Scores each (prompt, response) row with the options' reward into the Single column <paramref name="outputColumnName"/> (relabeling).</summary>
    public static RewardScoringEstimator ScoreReward(this TransformsCatalog.TextTransforms catalog, string outputColumnName, string promptColumnName, string responseColumnName, ScoreRewardOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new RewardScoringEstimator(outputColumnName, promptColumnName, responseColumnName, options);
    }

    /// <summary>
    /// Measures each (prompt, response[, reference]) row with the core quality evaluator into metric columns: held-out and
    /// guiding reward, diversity, coherence, fluency (Double; NaN = no value) and length (Int32), as the options configure.
    /// </summary>
    public static QualityMeasuringEstimator MeasureAlignmentQuality(this TransformsCatalog.TextTransforms catalog, string promptColumnName, string responseColumnName, MeasureQualityOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new QualityMeasuringEstimator(promptColumnName, responseColumnName, options);
    }
}
