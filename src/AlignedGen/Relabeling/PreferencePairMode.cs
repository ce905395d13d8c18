namespace AlignedGen.Relabeling;

/// <summary>Which (chosen, rejected) pairs to make from the scored responses of one prompt.</summary>
public enum PreferencePairMode
{
    /// <summary>One pair per prompt: the best-scored response against the worst (first occurrence wins ties), if their gap exceeds the margin.</summary>
    BestVsWorst,

    /// <summary>Every pair of responses whose score gap exceeds the margin; the higher-scored one is chosen.</summary>
    AllPairsAboveMargin,
}
