namespace AlignedGen.Decoding;

/// <summary>Plain decoding: greedy (temperature 0) or sampling with temperature, top-k and top-p. Needs no reward.</summary>
public sealed class SamplingStrategy : IDecodingStrategy
{
    public SamplingStrategy(SamplingOptions? sampling = null)
    {
        Sampling = sampling ?? SamplingOptions.Greedy;
    }

    /// <summary>Greedy decoding.</summary>
    public static SamplingStrategy Greedy { get; } = new(SamplingOptions.Greedy);

    /// <summary>The sampling settings.</summary>
    public SamplingOptions Sampling { get; }

    public string Name => Sampling.Temperature == 0 ? "greedy" : "sample";

    /// <summary>Plain decoding uses no reward.</summary>
    public bool NeedsReward => false;

    /// <summary>Each chosen token is final: streams token by token.</summary>
    public bool StreamsTokens => true;

    public IReadOnlyList<DecodingOutcome> Decode(DecodingContext context, SequenceBatch batch, CancellationToken cancellationToken)
    {
        DecodeToEnd(batch, Sampling, cancellationToken);
        return Enumerable.Range(0, batch.Count).Select(i => new DecodingOutcome(batch[i])).ToArray();
    }

    /// <summary>Runs the token loop with these sampling settings until every row has finished.</summary>
    internal static void DecodeToEnd(SequenceBatch batch, SamplingOptions sampling, CancellationToken cancellationToken, int? maxSteps = null)
    {
        var chosen = new int[batch.Count];
        int steps = 0;
        while (!batch.AllFinished && (maxSteps is null || steps < maxSteps))
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int i = 0; i < batch.Count; i++)
                chosen[i] = batch[i].IsFinished ? 0 : TokenSampler.Sample(batch.LogitsView(i), sampling, batch[i].Random);
            batch.Append(chosen);
            steps++;
        }
    }
}
