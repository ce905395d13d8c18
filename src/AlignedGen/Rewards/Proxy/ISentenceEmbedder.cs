namespace AlignedGen.Rewards;

/// <summary>Maps texts to sentence embeddings (batch-first), for relevance features and coherence metrics.</summary>
public interface ISentenceEmbedder
{
    /// <summary>A short name for reports.</summary>
    string Name { get; }

    /// <summary>Length of every embedding.</summary>
    int Dimension { get; }

    /// <summary>One embedding per text, in order. Implementations say whether rows are L2-normalised.</summary>
    float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default);
}
