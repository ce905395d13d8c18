using AlignedGen.Models;

namespace AlignedGen.Evaluation;

/// <summary>
/// Fluency as the mean negative log-likelihood (nats per token) of a response's tokens under a causal LM, given the
/// prompt's tokens: teacher-forced and batched through <see cref="IDecoderState"/> (prefill the prompts, then step the
/// response tokens; rows whose response has ended leave the batch). Lower is more fluent.
/// <para>
/// Conventions: only the tokens passed as the response count — the evaluator passes the response's tokens without a
/// final EOS (what <c>GenerationResult.TokenIds</c> holds), so generated and existing responses are measured alike and
/// a response that ended with EOS is not credited for the (usually cheap) stop token. An empty response has no
/// fluency (null). Tokens beyond the model's context window (prompt + response) are not measured: the mean is over the
/// response tokens that fit, as the generator itself could not have produced more.
/// </para>
/// </summary>
public sealed class FluencyMetric
{
    /// <summary>Fluency under <paramref name="model"/>, <paramref name="batchSize"/> rows per model batch.</summary>
    public FluencyMetric(ICausalLanguageModel model, int batchSize = AlignedGenDefaults.BatchSize)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model), "Pass the generator's language model.");
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"The fluency batch size must be at least 1, got {batchSize}. Use e.g. {AlignedGenDefaults.BatchSize}.");
        BatchSize = batchSize;
    }

    /// <summary>The language model.</summary>
    public ICausalLanguageModel Model { get; }

    /// <summary>Rows per model batch.</summary>
    public int BatchSize { get; }

    /// <summary>Model work done so far (calls and token positions), summed over every batch.</summary>
    public DecoderCounters Counters { get; } = new();

    /// <summary>
    /// Mean NLL of <paramref name="responseIds"/>[i] given <paramref name="promptIds"/>[i] (the prompt as the model saw it,
    /// BOS included), for every row; null for rows with no response token inside the context window.
    /// </summary>
    public double?[] Compute(IReadOnlyList<IReadOnlyList<int>> promptIds, IReadOnlyList<IReadOnlyList<int>> responseIds,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(promptIds);
        ArgumentNullException.ThrowIfNull(responseIds);
        if (promptIds.Count != responseIds.Count)
            throw new ArgumentException($"Got {promptIds.Count} prompts but {responseIds.Count} responses; pass one response per prompt.", nameof(responseIds));
        var measured = new int[promptIds.Count];
        for (int i = 0; i < promptIds.Count; i++)
        {
            Validate(promptIds[i], i, nameof(promptIds), allowEmpty: false);
            Validate(responseIds[i], i, nameof(responseIds), allowEmpty: true);
            measured[i] = Math.Max(0, Math.Min(responseIds[i].Count, Model.Config.ContextLength - promptIds[i].Count));
        }
        // Longest responses first, so the rows that finish are always the batch's last ones and leave it with one slice.
        var order = Enumerable.Range(0, promptIds.Count).Where(i => measured[i] > 0).OrderByDescending(i => measured[i]).ToArray();
        var result = new double?[promptIds.Count];
        foreach (var chunk in order.Chunk(BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var sums = MeasureBatch(chunk, promptIds, responseIds, measured, cancellationToken);
            for (int b = 0; b < chunk.Length; b++) result[chunk[b]] = sums[b] / measured[chunk[b]];
        }
        return result;
    }

    /// <summary>−log softmax(<paramref name="logits"/>)[<paramref name="token"/>], computed in double precision.</summary>
    public static double NegativeLogLikelihood(ReadOnlySpan<float> logits, int token)
    {
        if ((uint)token >= (uint)logits.Length)
            throw new ArgumentOutOfRangeException(nameof(token), token, $"Token {token} is outside the {logits.Length} logits.");
        double max = double.NegativeInfinity;
        foreach (var l in logits) max = Math.Max(max, l);
        double sum = 0;
        foreach (var l in logits) sum += Math.Exp(l - max);
        return max + Math.Log(sum) - logits[token];
    }

    private double[] MeasureBatch(int[] rows, IReadOnlyList<IReadOnlyList<int>> promptIds, IReadOnlyList<IReadOnlyList<int>> responseIds,
        int[] measured, CancellationToken cancellationToken)
    {
        var sums = new double[rows.Length];
        using var state = Model.CreateState();
        try
        {
            state.Extend(rows.Select(r => promptIds[r]).ToArray());
            int alive = rows.Length;
            var tokens = new int[rows.Length];
            for (int position = 0; ; position++)
            {
                for (int b = 0; b < alive; b++)
                    sums[b] += NegativeLogLikelihood(state.Output(b), responseIds[rows[b]][position]);
                int next = alive;
                while (next > 0 && measured[rows[next - 1]] <= position + 1) next--;
                if (next == 0) break;
                cancellationToken.ThrowIfCancellationRequested();
                if (next < alive)
                {
                    state.SelectRows(Enumerable.Range(0, next).ToArray());
                    alive = next;
                }
                for (int b = 0; b < alive; b++) tokens[b] = responseIds[rows[b]][position];
                state.Step(tokens.AsSpan(0, alive));
            }
        }
        finally
        {
            Counters.Add(state.Counters);
        }
        return sums;
    }

    private void Validate(IReadOnlyList<int>? ids, int row, string paramName, bool allowEmpty)
    {
        if (ids is null) throw new ArgumentException($"Row {row} has null token ids; pass an empty list for an empty response.", paramName);
        if (!allowEmpty && ids.Count == 0)
            throw new ArgumentException($"Row {row} has an empty prompt; the first response token needs a context (encode the prompt with BOS).", paramName);
        int vocabulary = Model.Config.VocabularySize;
        for (int t = 0; t < ids.Count; t++)
            if ((uint)ids[t] >= (uint)vocabulary)
                throw new ArgumentException($"Row {row}, token {t} is id {ids[t]}, outside model '{Model.Name}''s vocabulary of {vocabulary}.", paramName);
    }
}
