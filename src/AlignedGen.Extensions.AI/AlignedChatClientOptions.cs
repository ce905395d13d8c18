namespace AlignedGen.Extensions.AI;

/// <summary>How an <see cref="AlignedChatClient"/> turns chat calls into generations. Validated on creation.</summary>
public sealed record AlignedChatClientOptions
{
    /// <param name="chatTemplate">The chat template by name (chatml, llama3, llama2, phi3, human-assistant); null uses the model folder's (tokenizer_config.json).</param>
    /// <param name="maxOutputTokens">New tokens when ChatOptions.MaxOutputTokens is unset.</param>
    /// <param name="temperature">Sampling temperature when ChatOptions.Temperature is unset (0 = greedy).</param>
    public AlignedChatClientOptions(string? chatTemplate = null, int maxOutputTokens = AlignedGenDefaults.MaxNewTokens, double temperature = AlignedGenDefaults.Temperature)
    {
        if (chatTemplate is not null) Tokenization.ChatTemplate.FromName(chatTemplate); // throws naming the known templates
        if (maxOutputTokens < 1)
            throw new ArgumentOutOfRangeException(nameof(maxOutputTokens), maxOutputTokens, $"Max output tokens must be at least 1, got {maxOutputTokens}.");
        if (double.IsNaN(temperature) || temperature < 0)
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, $"Temperature must be 0 (greedy) or more, got {temperature}.");
        ChatTemplate = chatTemplate;
        MaxOutputTokens = maxOutputTokens;
        Temperature = temperature;
    }

    /// <summary>The chat template's name, or null for the model folder's own.</summary>
    public string? ChatTemplate { get; }

    /// <summary>New tokens when a call does not say.</summary>
    public int MaxOutputTokens { get; }

    /// <summary>Sampling temperature when a call does not say.</summary>
    public double Temperature { get; }

    public static AlignedChatClientOptions Default { get; } = new();
}
