using Microsoft.Extensions.AI;

namespace AlignedGen.Extensions.AI;

/// <summary>How <see cref="BestOfNChatClient"/> asks for candidates. Validated on creation.</summary>
public sealed record BestOfNChatOptions
{
    /// <param name="candidateCount">Candidates requested per call (N).</param>
    /// <param name="maxConcurrency">Candidate requests in flight at once (providers limit request rates).</param>
    /// <param name="temperature">The temperature used when the caller's ChatOptions set none (candidates need variety); null leaves the provider's default.</param>
    /// <param name="varySeed">When the caller sets ChatOptions.Seed, candidate i gets Seed + i, so seeded providers still give N different answers.</param>
    public BestOfNChatOptions(int candidateCount = AlignedGenDefaults.BestOfN, int maxConcurrency = AlignedGenDefaults.BestOfN,
        double? temperature = AlignedGenDefaults.Temperature, bool varySeed = true)
    {
        if (candidateCount < 1)
            throw new ArgumentOutOfRangeException(nameof(candidateCount), candidateCount, $"Ask for at least 1 candidate, got {candidateCount}.");
        if (maxConcurrency < 1)
            throw new ArgumentOutOfRangeException(nameof(maxConcurrency), maxConcurrency, $"At least 1 request must be allowed in flight, got {maxConcurrency}.");
        if (temperature is { } t && (double.IsNaN(t) || t < 0))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, $"Temperature must be 0 or more (or null for the provider's default), got {temperature}.");
        CandidateCount = candidateCount;
        MaxConcurrency = maxConcurrency;
        Temperature = temperature;
        VarySeed = varySeed;
    }

    /// <summary>Candidates requested per call.</summary>
    public int CandidateCount { get; }

    /// <summary>Candidate requests in flight at once.</summary>
    public int MaxConcurrency { get; }

    /// <summary>Temperature for calls whose options set none; null leaves it to the provider.</summary>
    public double? Temperature { get; }

    /// <summary>Give candidate i the seed Seed + i when the caller set one.</summary>
    public bool VarySeed { get; }

    /// <summary>
    /// The prompt text the reward scores each candidate against; by default the last user message's text (reward models
    /// are trained on a prompt and a response), or all messages' text when there is no user message.
    /// </summary>
    public Func<IReadOnlyList<ChatMessage>, string> PromptText { get; init; } = DefaultPromptText;

    /// <summary>The defaults (4 candidates, 4 in flight, temperature 0.7 when unset).</summary>
    public static BestOfNChatOptions Default { get; } = new();

    private static string DefaultPromptText(IReadOnlyList<ChatMessage> messages) =>
        messages.LastOrDefault(m => m.Role == ChatRole.User) is { } user ? user.Text : string.Join("\n", messages.Select(m => m.Text));
}
