using System.Diagnostics;
using System.Globalization;
using AlignedGen.Decoding;
using AlignedGen.Rewards;

namespace AlignedGen.Evaluation;

/// <summary>
/// Measures responses — generated here or read from existing data — batch by batch: guiding and held-out reward
/// (scored batch-first through <see cref="IRewardSource.Score"/>, with the generator's token ids when the row has them),
/// ARGS diversity, coherence, fluency and length. The comparison job, <c>Measure-AlignmentQuality</c> and the ML.NET
/// metric columns all call this. Not thread-safe: use one evaluator per thread.
/// </summary>
public sealed class QualityEvaluator
{
    private readonly CoherenceMetric? _coherence;
    private readonly FluencyMetric? _fluency;
    private readonly TextGenerator? _promptEncoder;

    /// <summary>An evaluator with <paramref name="options"/> (null = <see cref="QualityEvaluatorOptions.Default"/>).</summary>
    public QualityEvaluator(QualityEvaluatorOptions? options = null)
    {
        Options = options ?? QualityEvaluatorOptions.Default;
        if (Options.Embedder is not null) _coherence = new CoherenceMetric(Options.Embedder);
        if (Options.FluencyModel is not null)
        {
            _fluency = new FluencyMetric(Options.FluencyModel, Options.BatchSize);
            _promptEncoder = new TextGenerator(Options.FluencyModel);
        }
    }

    /// <summary>The options in effect.</summary>
    public QualityEvaluatorOptions Options { get; }

    /// <summary>The fluency metric (its <see cref="FluencyMetric.Counters"/> tell the model work), or null when fluency is off.</summary>
    public FluencyMetric? Fluency => _fluency;

    /// <summary>Evaluates every row, in order; progress is reported after each batch.</summary>
    public IReadOnlyList<EvaluatedResponse> Evaluate(IReadOnlyList<ResponseToEvaluate> rows, IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return EvaluateStream(rows, progress, cancellationToken).ToList();
    }

    /// <summary>Evaluates rows batch by batch as they are read (constant memory), in order.</summary>
    public IEnumerable<EvaluatedResponse> EvaluateStream(IEnumerable<ResponseToEvaluate> rows, IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int? total = rows is IReadOnlyCollection<ResponseToEvaluate> c ? c.Count : null;
        var clock = Stopwatch.StartNew();
        int done = 0;
        foreach (var chunk in rows.Chunk(Options.BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var result in EvaluateBatch(chunk, done, cancellationToken)) yield return result;
            done += chunk.Length;
            progress?.Report(new EvaluationProgress(done, total, clock.Elapsed));
        }
    }

    private EvaluatedResponse[] EvaluateBatch(ResponseToEvaluate[] rows, int firstIndex, CancellationToken cancellationToken)
    {
        for (int i = 0; i < rows.Length; i++) Validate(rows[i], firstIndex + i);
        var tokenizer = Options.EffectiveTokenizer;
        var responseIds = rows.Select(r => r.ResponseTokenIds ?? tokenizer?.Encode(r.Response, addSpecialTokens: false)).ToArray();

        var queries = rows.Select(ToQuery).ToArray();
        var guiding = Score(Options.GuidingReward, queries, cancellationToken);
        var heldOut = ReferenceEquals(Options.HeldOutReward, Options.GuidingReward) ? guiding : Score(Options.HeldOutReward, queries, cancellationToken);
        var coherence = _coherence?.Compute(rows.Select(r => r.Prompt).ToArray(), rows.Select(r => r.Response).ToArray(), cancellationToken);
        double?[]? fluency = null;
        if (_fluency is not null)
        {
            var model = _fluency.Model.Tokenizer;
            var ids = rows.Select((r, i) => ReferenceEquals(model, tokenizer) ? responseIds[i]! : r.ResponseTokenIds ?? model.Encode(r.Response, addSpecialTokens: false)).ToArray();
            fluency = _fluency.Compute(rows.Select((r, i) => r.PromptTokenIds ?? EncodePrompt(r, firstIndex + i)).ToArray(), ids, cancellationToken);
        }

        var results = new EvaluatedResponse[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            results[i] = new EvaluatedResponse
            {
                Setting = row.Setting ?? "",
                PromptId = row.PromptId ?? (firstIndex + i).ToString(CultureInfo.InvariantCulture),
                Prompt = row.Prompt,
                Response = row.Response,
                FinishReason = row.FinishReason,
                GuidingReward = guiding?[i],
                HeldOutReward = heldOut?[i],
                Diversity = Options.MeasureDiversity ? DiversityMetric.Compute(row.Response) : null,
                Coherence = coherence?[i],
                Fluency = fluency?[i],
                Length = responseIds[i]?.Count ?? DiversityMetric.Words(row.Response).Length,
                Cost = row.Cost,
            };
        }
        return results;
    }

    private RewardQuery ToQuery(ResponseToEvaluate row)
    {
        var query = new RewardQuery(row.Prompt, row.Response, row.Reference);
        if (row.PromptTokenIds is null || row.ResponseTokenIds is null || Options.EffectiveTokenizer is null) return query;
        return query with { PromptTokenIds = row.PromptTokenIds, ResponseTokenIds = row.ResponseTokenIds, TokenIdsTokenizer = Options.EffectiveTokenizer };
    }

    private static double?[]? Score(IRewardSource? source, RewardQuery[] queries, CancellationToken cancellationToken)
    {
        if (source is null) return null;
        var scores = RewardChecks.ScoreChecked(source, queries, cancellationToken);
        return scores.Select(s => (double?)Data.DataValues.FloatToDouble(s)).ToArray();
    }

    private IReadOnlyList<int> EncodePrompt(ResponseToEvaluate row, int index)
    {
        try
        {
            return _promptEncoder!.EncodePrompt(row.Prompt, Options.PromptEncoding);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Row {index} (prompt id '{row.PromptId ?? index.ToString(CultureInfo.InvariantCulture)}'): cannot measure fluency: {e.Message}", "rows", e);
        }
    }

    private static void Validate(ResponseToEvaluate? row, int index)
    {
        if (row is null) throw new ArgumentException($"Row {index} is null; pass a ResponseToEvaluate for every row.", "rows");
        if (row.Prompt is null) throw new ArgumentException($"Row {index} has a null Prompt; use \"\" for an empty prompt.", "rows");
        if (row.Response is null) throw new ArgumentException($"Row {index} has a null Response; use \"\" for an empty response.", "rows");
    }
}
