namespace AlignedGen.Models;

/// <summary>Work done by a decoder state: model calls, token positions evaluated (padding included) and real tokens.</summary>
public sealed class DecoderCounters
{
    /// <summary>Number of model runs.</summary>
    public long Calls { get; internal set; }

    /// <summary>Token positions the model evaluated, padding included (rows × new tokens per call).</summary>
    public long TokenPositions { get; internal set; }

    /// <summary>Real (non-padding) tokens fed.</summary>
    public long Tokens { get; internal set; }

    /// <summary>Time spent inside model runs.</summary>
    public TimeSpan ModelTime { get; internal set; }

    /// <summary>Adds another counter's values into this one.</summary>
    public void Add(DecoderCounters other)
    {
        Calls += other.Calls;
        TokenPositions += other.TokenPositions;
        Tokens += other.Tokens;
        ModelTime += other.ModelTime;
    }
}
