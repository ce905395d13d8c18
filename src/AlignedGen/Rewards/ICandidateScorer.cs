namespace AlignedGen.Rewards;

/// <summary>
/// Scores one-token extensions of running sequences, step after step (what ARGS needs): for each row, k candidate
/// tokens appended to its prompt and response so far. Implementations keep whatever state makes the next step cheap
/// (a reward model's KV cache) and are told which candidate each row took.
/// </summary>
public interface ICandidateScorer : IDisposable
{
    /// <summary>
    /// Writes <c>scores[i * k + j]</c> = reward(prompt ⊕ response ⊕ <c>candidates[i * k + j]</c>) for each row i.
    /// <paramref name="rows"/> are the rows still running (the same objects from call to call); a row absent from a
    /// later call has finished.
    /// </summary>
    void Score(IReadOnlyList<PartialResponse> rows, ReadOnlySpan<int> candidates, int k, Span<float> scores, CancellationToken cancellationToken);

    /// <summary>Tells the scorer which candidate (index into its k) each row of the last <see cref="Score"/> call took.</summary>
    void Commit(IReadOnlyList<PartialResponse> rows, ReadOnlySpan<int> chosen);

    /// <summary>Reward-model work done so far (calls and token positions).</summary>
    RewardWork Work { get; }

    /// <summary>
    /// The work done for one row: the calls it took part in and the positions (or texts) evaluated for it alone, padding
    /// excluded, so that it does not depend on what else shared the batch; null when the scorer cannot tell (callers
    /// then share <see cref="Work"/> out).
    /// </summary>
    RewardWork? WorkOf(PartialResponse row) => null;

    /// <summary>
    /// Something the user should know about how candidates were scored (e.g. a reward model saw only the end of long
    /// sequences), or null.
    /// </summary>
    string? Note => null;
}
