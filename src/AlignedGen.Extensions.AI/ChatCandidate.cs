using Microsoft.Extensions.AI;

namespace AlignedGen.Extensions.AI;

/// <summary>One candidate a <see cref="BestOfNChatClient"/> asked for: the answer and its reward, or why it failed.</summary>
/// <param name="Index">Its position among the requests (0-based).</param>
/// <param name="Response">The inner client's answer, or null when the request failed.</param>
/// <param name="Reward">The reward of its text, or null when the request failed.</param>
/// <param name="Error">Why the request failed, or null.</param>
public sealed record ChatCandidate(int Index, ChatResponse? Response, float? Reward, Exception? Error)
{
    /// <summary>The answer's text ("" for a failed request).</summary>
    public string Text => Response?.Text ?? "";
}

/// <summary>
/// Every candidate of one <see cref="BestOfNChatClient"/> call and which one was returned; found on the response with
/// <see cref="ChatResponseRewardExtensions.GetCandidateSelection"/>.
/// </summary>
/// <param name="Candidates">All candidates in request order, failed ones included.</param>
/// <param name="SelectedIndex">The index of the returned candidate.</param>
/// <param name="RewardName">The reward source's name.</param>
public sealed record ChatCandidateSelection(IReadOnlyList<ChatCandidate> Candidates, int SelectedIndex, string RewardName)
{
    /// <summary>The returned candidate.</summary>
    public ChatCandidate Selected => Candidates[SelectedIndex];
}
