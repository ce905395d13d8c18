using AlignedGen.Decoding;
using AlignedGen.Tokenization;

namespace AlignedGen.PowerShell.Output;

/// <summary>One generated response, written by Invoke-RewardGuidedDecode: the core's GenerationResult flattened for the pipeline.</summary>
public sealed class DecodedResponse
{
    /// <summary>The input's Id, or its 0-based position in the command's input when it had none.</summary>
    public required string Id { get; init; }

    /// <summary>The prompt as given.</summary>
    public required string Prompt { get; init; }

    /// <summary>The generated text (the prompt not included; cut before a stop string).</summary>
    public required string Response { get; init; }

    /// <summary>The reward of the final response when the strategy computed one (Args, BestOfN), else null. Measure-Reward overwrites it.</summary>
    public double? Reward { get; set; }

    /// <summary>The strategy's name as the core reports it (args-greedy, args-stochastic, best-of-4, greedy, sample).</summary>
    public required string Strategy { get; init; }

    /// <summary>The generated token ids (prompt ids not included).</summary>
    public required JsonTextList<int> TokenIds { get; init; }

    /// <summary>The vocabulary spelling of each generated id.</summary>
    public required JsonTextList<string?> Tokens { get; init; }

    /// <summary>Why generation ended: Eos, Length, StopString ...</summary>
    public required string FinishReason { get; init; }

    /// <summary>Tokens in the encoded prompt.</summary>
    public int PromptTokenCount { get; init; }

    /// <summary>Language-model forward calls for this prompt (a batch's calls shared among its prompts).</summary>
    public double LmCalls { get; init; }

    /// <summary>Token positions the language model processed for this prompt.</summary>
    public double LmTokens { get; init; }

    /// <summary>Reward-model calls for this prompt.</summary>
    public double RewardCalls { get; init; }

    /// <summary>Token positions the reward model processed for this prompt.</summary>
    public double RewardTokens { get; init; }

    /// <summary>Wall time for this prompt in milliseconds (a batch's time shared among its prompts).</summary>
    public double ElapsedMs { get; init; }

    /// <summary>A pipeline object for a core result; <paramref name="id"/> labels it, <paramref name="tokenizer"/> spells its ids.</summary>
    public static DecodedResponse From(GenerationResult result, string id, ITextTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var ids = result.TokenIds.ToArray();
        return new DecodedResponse
        {
            Id = id,
            Prompt = result.Prompt,
            Response = result.Text,
            Reward = result.Reward,
            Strategy = result.Strategy,
            TokenIds = new(ids),
            Tokens = new(ids.Select(tokenizer.IdToToken).ToArray()),
            FinishReason = result.FinishReason.ToString(),
            PromptTokenCount = result.PromptTokenCount,
            LmCalls = result.Cost.LmCalls,
            LmTokens = result.Cost.LmTokens,
            RewardCalls = result.Cost.RewardCalls,
            RewardTokens = result.Cost.RewardTokens,
            ElapsedMs = result.Cost.Elapsed.TotalMilliseconds,
        };
    }

    /// <inheritdoc />
    public override string ToString() => Response;
}
