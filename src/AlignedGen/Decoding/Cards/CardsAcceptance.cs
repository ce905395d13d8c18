namespace AlignedGen.Decoding;

/// <summary>How CARDS tests a candidate segment's reward R against the current threshold.</summary>
public enum CardsAcceptance
{
    /// <summary>Accept with probability min(1, exp((R − threshold) / β)) — the authors' default ("soft").</summary>
    Soft,

    /// <summary>Accept when R ≥ threshold ("hard").</summary>
    Hard,
}
