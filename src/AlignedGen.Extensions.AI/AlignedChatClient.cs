using System.Runtime.CompilerServices;
using AlignedGen.Decoding;
using AlignedGen.Hub;
using AlignedGen.Models;
using AlignedGen.Rewards;
using AlignedGen.Tokenization;
using Microsoft.Extensions.AI;
using AiChatMessage = Microsoft.Extensions.AI.ChatMessage;
using CoreChatMessage = AlignedGen.Tokenization.ChatMessage;

namespace AlignedGen.Extensions.AI;

/// <summary>
/// An <see cref="IChatClient"/> over a local ONNX language model with AlignedGen's decoding. Messages are rendered with
/// the model folder's chat template (or a named one); ChatOptions map onto the core's options (MaxOutputTokens, StopSequences,
/// Seed for every strategy; Temperature, TopP, TopK for plain sampling); the strategy (ARGS, Best-of-N, DARWIN, ...) and
/// its reward come from <see cref="AlignedDecoding"/> (<c>options.WithArgs(weight: 1.5, topK: 10)</c>), else sampling
/// and the client's reward. Responses carry usage (prompt and generated tokens), the finish reason, the reward and the
/// cost. <see cref="GetService"/> returns the model, the reward and the metadata. Calls run one at a time on the model.
/// </summary>
public sealed class AlignedChatClient : IChatClient
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly bool _ownsModel;
    private readonly ChatClientMetadata _metadata;

    /// <summary>A client over <paramref name="model"/> (not disposed with the client), guided or ranked by <paramref name="reward"/> when a strategy needs one.</summary>
    public AlignedChatClient(ICausalLanguageModel model, IRewardSource? reward = null, AlignedChatClientOptions? options = null)
        : this(model, reward, options, ownsModel: false)
    {
    }

    private AlignedChatClient(ICausalLanguageModel model, IRewardSource? reward, AlignedChatClientOptions? options, bool ownsModel)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Reward = reward;
        Options = options ?? AlignedChatClientOptions.Default;
        _ownsModel = ownsModel;
        _metadata = new ChatClientMetadata("alignedgen", null, model.Name);
    }

    /// <summary>A client over a model from the Hugging Face Hub (hf:org/name[@revision][/subfolder]); the client owns and disposes the model.</summary>
    public static AlignedChatClient FromHub(string reference, IRewardSource? reward = null, AlignedChatClientOptions? options = null,
        ExecutionOptions? execution = null, HubOptions? hub = null, IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        new(OnnxCausalLanguageModel.FromHub(reference, execution, hub, progress, cancellationToken), reward, options, ownsModel: true);

    /// <summary>The language model.</summary>
    public ICausalLanguageModel Model { get; }

    /// <summary>The reward used when a call's options name none.</summary>
    public IRewardSource? Reward { get; }

    public AlignedChatClientOptions Options { get; }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = Prepare(messages, options);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = await Task.Run(() => call.Generator.Generate([new GenerationRequest(call.Prompt)], call.Strategy, call.Options, null, cancellationToken)[0],
                cancellationToken).ConfigureAwait(false);
            return ToResponse(result);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>The text arrives as one update when the generation ends (the core has no per-token stream yet).</remarks>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates()) yield return update;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(ChatClientMetadata)) return _metadata;
        if (serviceType.IsInstanceOfType(this)) return this;
        if (serviceType.IsInstanceOfType(Model)) return Model;
        if (Reward is not null && serviceType.IsInstanceOfType(Reward)) return Reward;
        return null;
    }

    public void Dispose()
    {
        _gate.Dispose();
        if (_ownsModel) Model.Dispose();
    }

    private PreparedCall Prepare(IEnumerable<AiChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var conversation = messages.Select(m => new CoreChatMessage(m.Role.Value, m.Text)).ToList();
        if (options?.Instructions is { Length: > 0 } instructions) conversation.Insert(0, CoreChatMessage.System(instructions));
        if (conversation.Count == 0) throw new ArgumentException("Pass at least one message.", nameof(messages));

        var template = Options.ChatTemplate is { } name ? ChatTemplate.FromName(name) : Model.ChatTemplate;
        string prompt;
        bool addSpecialTokens = true;
        if (template is not null)
        {
            prompt = template.Format(conversation, addGenerationPrompt: true);
            addSpecialTokens = !template.WritesBeginningOfSequence; // the template wrote BOS itself
        }
        else if (conversation.Count(m => m.Role != "system") == 1 && conversation[^1].Role == "user")
            prompt = conversation[^1].Content; // a base model without a chat template continues the user's text
        else
            throw new ArgumentException(
                $"Model '{Model.Name}' has no chat template (tokenizer_config.json has no known chat_template), so a conversation of {conversation.Count} messages cannot be rendered. "
                + "Name one with new AlignedChatClientOptions(chatTemplate: \"chatml\") (or llama3, llama2, phi3, human-assistant), or send a single user message.", nameof(messages));

        var decoding = options.GetAlignedDecoding();
        var strategy = decoding?.Strategy ?? new SamplingStrategy(new SamplingOptions(
            temperature: options?.Temperature ?? Options.Temperature,
            topK: options?.TopK ?? AlignedGenDefaults.SamplingTopK,
            topP: options?.TopP ?? AlignedGenDefaults.TopP));
        var generation = new GenerationOptions(
            maxNewTokens: options?.MaxOutputTokens ?? Options.MaxOutputTokens,
            batchSize: 1,
            stopStrings: options?.StopSequences?.ToArray(),
            addSpecialTokens: addSpecialTokens,
            seed: options?.Seed is { } seed ? unchecked((int)seed ^ (int)(seed >> 32)) : null);
        return new PreparedCall(new TextGenerator(Model, decoding?.Reward ?? Reward), prompt, strategy, generation);
    }

    private ChatResponse ToResponse(GenerationResult result)
    {
        var properties = new AdditionalPropertiesDictionary
        {
            ["alignedgen.strategy"] = result.Strategy,
            ["alignedgen.cost"] = result.Cost,
        };
        if (result.Reward is { } reward) properties[ChatResponseRewardExtensions.RewardKey] = reward;
        return new ChatResponse(new AiChatMessage(ChatRole.Assistant, result.Text))
        {
            ResponseId = Guid.NewGuid().ToString("N"),
            ModelId = Model.Name,
            CreatedAt = DateTimeOffset.UtcNow,
            FinishReason = result.FinishReason == FinishReason.Length ? ChatFinishReason.Length : ChatFinishReason.Stop,
            Usage = new UsageDetails
            {
                InputTokenCount = result.PromptTokenCount,
                OutputTokenCount = result.TokenIds.Count,
                TotalTokenCount = result.PromptTokenCount + result.TokenIds.Count,
            },
            AdditionalProperties = properties,
        };
    }

    private sealed record PreparedCall(TextGenerator Generator, string Prompt, IDecodingStrategy Strategy, GenerationOptions Options);
}
