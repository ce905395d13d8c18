using Microsoft.Extensions.AI;

namespace AlignedGen.Extensions.AI;

/// <summary>
/// The keys AlignedGen's chat clients write into <see cref="ChatResponse.AdditionalProperties"/>, and typed readers.
/// Plain values (numbers, arrays) sit beside the typed objects so logs and JSON serialisation see them too.
/// </summary>
public static class ChatResponseRewardExtensions
{
    /// <summary><see cref="ChatCandidateSelection"/>: every candidate of a Best-of-N call.</summary>
    public const string SelectionKey = "alignedgen.selection";

    /// <summary>float[]: the reward of every candidate that answered, in request order.</summary>
    public const string RewardsKey = "alignedgen.rewards";

    /// <summary>float: the reward of the returned response.</summary>
    public const string RewardKey = "alignedgen.reward";

    /// <summary>int: how many candidate requests failed (the others were still used).</summary>
    public const string FailedCandidatesKey = "alignedgen.failed_candidates";

    /// <summary>The Best-of-N selection behind <paramref name="response"/>, or null when it did not come from a <see cref="BestOfNChatClient"/>.</summary>
    public static ChatCandidateSelection? GetCandidateSelection(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.AdditionalProperties?.TryGetValue(SelectionKey, out var value) == true ? value as ChatCandidateSelection : null;
    }

    /// <summary>The reward of <paramref name="response"/> when an AlignedGen client scored it, else null.</summary>
    public static float? GetReward(this ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.AdditionalProperties?.TryGetValue(RewardKey, out var value) == true && value is float reward ? reward : null;
    }
}
