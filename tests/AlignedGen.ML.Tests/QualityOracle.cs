using AlignedGen.Evaluation;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AlignedGen.ML.Tests;

/// <summary>The oracle for MeasureAlignmentQuality: the core <see cref="QualityEvaluator"/> called directly, and metric readers for data views.</summary>
internal static class QualityOracle
{
    /// <summary>A (prompt, response, reference) row for LoadFromEnumerable.</summary>
    public sealed class Row
    {
        public string Prompt { get; set; } = "";
        public string Response { get; set; } = "";
        public string Reference { get; set; } = "";
    }

    /// <summary>Rows with varied, partly repetitive responses; every fourth response is empty, every third row has a reference.</summary>
    public static Row[] Rows(int count)
    {
        var prompts = new[] { "The cat ", "Once upon a time ", "She said ", "It was a sunny day. " };
        var responses = new[] { "sat on the mat and sat on the mat.", "a dog ran to the park to play with a ball", "hello hello hello hello", "" };
        return Enumerable.Range(0, count).Select(i => new Row
        {
            Prompt = prompts[i % prompts.Length] + (i >= prompts.Length ? $"({i}) " : ""),
            Response = responses[(i + i / 4) % responses.Length] is { Length: > 0 } r ? r + (i % 2 == 0 ? "" : $" and then {i} more") : "",
            Reference = i % 3 == 0 ? "a story about a cat" : "",
        }).ToArray();
    }

    /// <summary>The core evaluator's results on the same rows (empty references = none, as the transform reads them).</summary>
    public static IReadOnlyList<EvaluatedResponse> Evaluate(IEnumerable<Row> rows, QualityEvaluatorOptions options)
        => new QualityEvaluator(options).Evaluate(rows.Select(r => new ResponseToEvaluate(r.Prompt, r.Response, r.Reference.Length > 0 ? r.Reference : null)).ToList());

    /// <summary>A Double column.</summary>
    public static double[] Doubles(IDataView view, string column) => view.GetColumn<double>(column).ToArray();

    /// <summary>A metric as the transform writes it (null = NaN).</summary>
    public static double[] Expected(IEnumerable<EvaluatedResponse> results, Func<EvaluatedResponse, double?> metric) => results.Select(r => metric(r) ?? double.NaN).ToArray();
}
