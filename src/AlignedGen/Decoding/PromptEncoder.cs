using AlignedGen.Models;
using AlignedGen.Tokenization;

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
        bool addSpecial = options.AddSpecialTokens;
        var template = ResolveTemplate(options.ChatTemplate);
        if (template is not null)
        {
            text = template.Format(new[] { ChatMessage.User(prompt) }, addGenerationPrompt: true);
            // Templates that write BOS themselves (Llama 2/3) must not get a second one from the tokenizer.
            if (template.WritesBeginningOfSequence) addSpecial = false;
        }
        var ids = _model.Tokenizer.Encode(text, addSpecial);
        if (ids.Count == 0)
            throw new ArgumentException($"The {label} encodes to no tokens. Give it some text or enable special tokens.", nameof(prompt));
        if (ids.Count >= _model.Config.ContextLength)
            throw new ArgumentException(
                $"The {label} has {ids.Count} tokens but the model's context window is {_model.Config.ContextLength}; nothing can be generated. Shorten the prompt.",
                nameof(prompt));
        return ids;
    }

    private ChatTemplate? ResolveTemplate(string? name)
    {
        if (name is null) return null;
        if (name.Equals("auto", StringComparison.OrdinalIgnoreCase))
            return _model.ChatTemplate ?? throw new ArgumentException(
                $"Chat template 'auto' was asked for, but model '{_model.Name}' declares no recognised chat_template in tokenizer_config.json. Name one (chatml, llama3, llama2, phi3, human-assistant) or pass none.",
                "chatTemplate");
        return ChatTemplate.FromName(name);
    }
}
