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
    /// <remarks>
    /// Text streams as the core decides it (<see cref="TextGenerator.GenerateStreamingAsync"/>): token by token for
    /// sampling, greedy and ARGS (never half a character, never text a stop sequence removes), at the end for strategies
    /// that decide at the end (Best-of-N, DARWIN). The last update carries FinishReason, the usage (a
    /// <see cref="UsageContent"/>) and the response's AdditionalProperties, so <c>ToChatResponseAsync()</c> of the
    /// updates equals <see cref="GetResponseAsync"/>. Stopping the enumeration stops the decode within one step.
    /// </remarks>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AiChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var call = Prepare(messages, options);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var responseId = Guid.NewGuid().ToString("N");
            var messageId = Guid.NewGuid().ToString("N");
            var createdAt = DateTimeOffset.UtcNow;
            ChatResponseUpdate Update(AIContent content) => new(ChatRole.Assistant, [content])
            {
                ResponseId = responseId,
                MessageId = messageId,
                ModelId = Model.Name,
                CreatedAt = createdAt,
            };
            await foreach (var update in call.Generator.GenerateStreamingAsync([new GenerationRequest(call.Prompt)], call.Strategy, call.Options, cancellationToken)
                .ConfigureAwait(false))
            {
                if (update.Text.Length > 0) yield return Update(new TextContent(update.Text));
                if (update.Result is not { } result) continue;
                var last = Update(new UsageContent(UsageOf(result)));
                last.MessageId = null; // ToChatResponse scopes the properties of an update without a MessageId to the response, not the message
                last.FinishReason = FinishReasonOf(result);
                last.AdditionalProperties = PropertiesOf(result);
                yield return last;
            }
        }
        finally
        {
            _gate.Release();
        }
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

    private ChatResponse ToResponse(GenerationResult result) => new(new AiChatMessage(ChatRole.Assistant, result.Text))
    {
        ResponseId = Guid.NewGuid().ToString("N"),
        ModelId = Model.Name,
        CreatedAt = DateTimeOffset.UtcNow,
        FinishReason = FinishReasonOf(result),
        Usage = UsageOf(result),
        AdditionalProperties = PropertiesOf(result),
    };

    private static ChatFinishReason FinishReasonOf(GenerationResult result) =>
        result.FinishReason == FinishReason.Length ? ChatFinishReason.Length : ChatFinishReason.Stop;

    private static UsageDetails UsageOf(GenerationResult result) => new()
    {
        InputTokenCount = result.PromptTokenCount,
        OutputTokenCount = result.TokenIds.Count,
        TotalTokenCount = result.PromptTokenCount + result.TokenIds.Count,
    };

    private static AdditionalPropertiesDictionary PropertiesOf(GenerationResult result)
    {
        var properties = new AdditionalPropertiesDictionary
        {
            ["alignedgen.strategy"] = result.Strategy,
            ["alignedgen.cost"] = result.Cost,
        };
        if (result.Reward is { } reward) properties[ChatResponseRewardExtensions.RewardKey] = reward;
        return properties;
    }

    private sealed record PreparedCall(TextGenerator Generator, string Prompt, IDecodingStrategy Strategy, GenerationOptions Options);
}
