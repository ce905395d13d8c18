namespace AlignedGen.PowerShell.Output;

/// <summary>A chosen/rejected pair for preference training, written by Export-PreferencePair.</summary>
public sealed class PreferencePair
{
    /// <summary>The group's key: the prompt, or the -GroupBy property's value.</summary>
    public required string Group { get; init; }

    /// <summary>The prompt (of the chosen response).</summary>
    public required string Prompt { get; init; }

    /// <summary>The response with the highest reward in the group.</summary>
    public required string Chosen { get; init; }

    /// <summary>The response with the lowest reward in the group.</summary>
    public required string Rejected { get; init; }

    /// <summary>The chosen response's reward.</summary>
    public required double ScoreChosen { get; init; }

    /// <summary>The rejected response's reward.</summary>
    public required double ScoreRejected { get; init; }

    /// <summary>Responses the group had.</summary>
    public required int Candidates { get; init; }

    /// <summary>ScoreChosen − ScoreRejected.</summary>
    public double Margin => ScoreChosen - ScoreRejected;
}
