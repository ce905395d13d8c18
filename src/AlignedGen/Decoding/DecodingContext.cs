using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Decoding;

/// <summary>What a strategy gets besides its batch: the model, the shared options, the prompts of the batch, and the reward source (if any).</summary>
public sealed class DecodingContext
{
    internal DecodingContext(ICausalLanguageModel model, GenerationOptions options, IReadOnlyList<GenerationRequest> requests, IRewardSource? reward)
    {
        Model = model;
        Options = options;
        Requests = requests;
        Reward = reward;
    }

    /// <summary>The language model.</summary>
    public ICausalLanguageModel Model { get; }

    /// <summary>Length, stopping and batching options.</summary>
    public GenerationOptions Options { get; }

    /// <summary>The prompts of this batch, in row order.</summary>
    public IReadOnlyList<GenerationRequest> Requests { get; }

    /// <summary>The reward source guiding or ranking, when the strategy uses one.</summary>
    public IRewardSource? Reward { get; }

    /// <summary>Decodes a row's generated tokens to response text (special tokens dropped, cut before a stop string).</summary>
    public string ResponseText(SequenceRow row)
    {
        var text = Model.Tokenizer.Decode(row.GeneratedTokens, skipSpecialTokens: true);
        return Options.StopStrings.Count == 0 ? text : StopStringDetector.Cut(text, Options.StopStrings);
    }

    /// <summary>Builds the reward query for a row (prompt text and ids, response text and ids, reference).</summary>
    public RewardQuery RewardQueryFor(SequenceRow row)
    {
        var request = Requests[row.RequestIndex];
        return new RewardQuery(request.Prompt, ResponseText(row), request.Reference)
        {
            PromptTokenIds = row.PromptTokens,
            ResponseTokenIds = row.GeneratedTokens.ToArray(),
        };
    }
}
