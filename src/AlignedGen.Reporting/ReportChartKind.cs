namespace AlignedGen.Reporting;

/// <summary>The charts an alignment report can hold.</summary>
public enum ReportChartKind
{
    /// <summary>Plotted reward against the ARGS weight w, one line per swept family.</summary>
    RewardVersusWeight,
    /// <summary>Plotted reward against cost per response, one labelled point per setting.</summary>
    RewardVersusCost,
    /// <summary>Box plots of the per-response reward of every setting.</summary>
    RewardDistribution,
    /// <summary>Stacked win/tie/loss bars of every setting against the baseline.</summary>
    WinTieLoss,
}
