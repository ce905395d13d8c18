using AlignedGen.Models;

namespace AlignedGen.Decoding;

/// <summary>Turns a prompt into the ids the model sees (chat template, special tokens) and checks it fits the context window.</summary>
internal sealed class PromptEncoder
{
    private readonly ICausalLanguageModel _model;

    public PromptEncoder(ICausalLanguageModel model) => _model = model;

    public IReadOnlyList<int> Encode(string prompt, GenerationOptions options, string label)
    {
        if (prompt is null) throw new ArgumentNullException(nameof(prompt), $"The {label} is null.");
        if (string.IsNullOrWhiteSpace(prompt))
            throw new ArgumentException($"The {label} is empty. Give every prompt some text.", nameof(prompt));
        string text = prompt;
        var ids = _model.Tokenizer.Encode(text, options.AddSpecialTokens);
        if (ids.Count == 0)
            throw new ArgumentException($"The {label} encodes to no tokens. Give it some text or enable special tokens.", nameof(prompt));
        if (ids.Count >= _model.Config.ContextLength)
            throw new ArgumentException(
                $"The {label} has {ids.Count} tokens but the model's context window is {_model.Config.ContextLength}; nothing can be generated. Shorten the prompt.",
                nameof(prompt));
        return ids;
    }
}
