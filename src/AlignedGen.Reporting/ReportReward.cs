namespace AlignedGen.Reporting;

/// <summary>Which reward the report's charts plot.</summary>
public enum ReportReward
{
    /// <summary>The held-out reward when the result has one, otherwise the guiding reward.</summary>
    Auto = 0,
    /// <summary>The held-out (judging) reward, which the strategies never saw.</summary>
    HeldOut,
    /// <summary>The guiding reward, the one the strategies optimised.</summary>
    Guiding,
}
