using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using AlignedGen.Rewards;
using Microsoft.Extensions.AI;

namespace AlignedGen.Extensions.AI;

/// <summary>
/// Reward-guided selection for any chat client: asks the inner client (OpenAI, Ollama, onnxruntime-genai, AlignedGen's
/// own…) for N candidates, at most <see cref="BestOfNChatOptions.MaxConcurrency"/> at a time, scores them in one batch
/// with a local <see cref="IRewardSource"/> (an ONNX reward model, the proxy reward, a composite, your own function) and
/// returns the best. The response carries every candidate's reward (<see cref="ChatResponseRewardExtensions"/>) and the
/// usage of all N requests summed. A candidate request that fails is left out; the call fails only when all do.
/// Streaming waits for the choice, then streams the chosen answer.
/// </summary>
public sealed class BestOfNChatClient : DelegatingChatClient
{
    /// <summary>Wraps <paramref name="innerClient"/>; <paramref name="reward"/> is not disposed with this client.</summary>
    public BestOfNChatClient(IChatClient innerClient, IRewardSource reward, BestOfNChatOptions? options = null)
        : base(innerClient)
    {
        Reward = reward ?? throw new ArgumentNullException(nameof(reward));
        Options = options ?? BestOfNChatOptions.Default;
    }

    /// <summary>The reward that ranks the candidates.</summary>
    public IRewardSource Reward { get; }

    public BestOfNChatOptions Options { get; }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var history = messages.ToList();
        var candidates = await RequestCandidatesAsync(history, options, cancellationToken).ConfigureAwait(false);
        var answered = candidates.Where(c => c.Response is not null).ToList();
        if (answered.Count == 0) ThrowFailures(candidates);

        var prompt = Options.PromptText(history);
        var queries = answered.Select(c => new RewardQuery(prompt, c.Text)).ToList();
        var rewards = await Task.Run(() => Reward.Score(queries, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (rewards.Length != queries.Count)
            throw new RewardSourceException(Reward.Name, null, $"returned {rewards.Length} scores for {queries.Count} candidates.");
        var scored = candidates.ToArray();
        for (int i = 0; i < answered.Count; i++) scored[answered[i].Index] = answered[i] with { Reward = rewards[i] };

        var best = answered[0].Index;
        foreach (var candidate in scored)
            if (candidate.Reward > scored[best].Reward) best = candidate.Index; // ties keep the earlier candidate
        var selection = new ChatCandidateSelection(scored, best, Reward.Name);
        var chosen = scored[best].Response!;
        // A copy: the candidate keeps its own usage and properties in the selection.
        var response = new ChatResponse(chosen.Messages)
        {
            ResponseId = chosen.ResponseId,
            ConversationId = chosen.ConversationId,
            ModelId = chosen.ModelId,
            CreatedAt = chosen.CreatedAt,
            FinishReason = chosen.FinishReason,
            ContinuationToken = chosen.ContinuationToken,
            RawRepresentation = chosen.RawRepresentation,
            Usage = SumUsage(answered.Select(c => c.Response!.Usage)),
            AdditionalProperties = chosen.AdditionalProperties is { } own ? new AdditionalPropertiesDictionary(own) : new AdditionalPropertiesDictionary(),
        };
        var properties = response.AdditionalProperties;
        properties[ChatResponseRewardExtensions.SelectionKey] = selection;
        properties[ChatResponseRewardExtensions.RewardsKey] = rewards;
        properties[ChatResponseRewardExtensions.RewardKey] = scored[best].Reward!.Value;
        properties[ChatResponseRewardExtensions.FailedCandidatesKey] = candidates.Count - answered.Count;
        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Best-of-N decides at the end: the chosen answer streams once all candidates are in and scored.
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates()) yield return update;
    }

    /// <inheritdoc />
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(Reward) && !serviceType.IsInstanceOfType(this)
            ? Reward
            : base.GetService(serviceType, serviceKey);
    }

    private async Task<IReadOnlyList<ChatCandidate>> RequestCandidatesAsync(IReadOnlyList<ChatMessage> history, ChatOptions? options, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(Options.MaxConcurrency);
        var requests = Enumerable.Range(0, Options.CandidateCount).Select(async index =>
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var response = await base.GetResponseAsync(history, CandidateOptions(options, index), cancellationToken).ConfigureAwait(false);
                return new ChatCandidate(index, response, null, null);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                return new ChatCandidate(index, null, null, e);
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        return await Task.WhenAll(requests).ConfigureAwait(false);
    }

    private ChatOptions CandidateOptions(ChatOptions? options, int index)
    {
        var candidate = options?.Clone() ?? new ChatOptions();
        candidate.Temperature ??= (float?)Options.Temperature;
        if (Options.VarySeed && candidate.Seed is { } seed) candidate.Seed = unchecked(seed + index);
        return candidate;
    }

    private static UsageDetails? SumUsage(IEnumerable<UsageDetails?> usages)
    {
        UsageDetails? total = null;
        foreach (var usage in usages.OfType<UsageDetails>())
        {
            total ??= new UsageDetails();
            total.Add(usage);
        }
        return total;
    }

    private static void ThrowFailures(IReadOnlyList<ChatCandidate> candidates)
    {
        var errors = candidates.Select(c => c.Error!).ToList();
        if (errors.Count == 1) ExceptionDispatchInfo.Throw(errors[0]);
        throw new AggregateException($"All {errors.Count} candidate requests failed; the first said: {errors[0].Message}", errors);
    }
}
