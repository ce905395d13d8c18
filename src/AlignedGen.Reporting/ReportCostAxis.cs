namespace AlignedGen.Reporting;

/// <summary>What the trade-off chart puts on its x axis as the cost of one response.</summary>
public enum ReportCostAxis
{
    /// <summary>Wall milliseconds per response.</summary>
    MillisecondsPerResponse = 0,
    /// <summary>LM token positions plus reward-model token positions per response.</summary>
    ModelTokensPerResponse,
}
