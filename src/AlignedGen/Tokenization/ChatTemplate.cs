using System.Text;
using System.Text.Json;

namespace AlignedGen.Tokenization;

/// <summary>
/// Turns a conversation into the prompt text a chat model was trained on. Built-in formats reproduce the models'
/// official Jinja chat templates (ChatML, Llama 3, Llama 2, Phi-3) and Anthropic's Human/Assistant format; a custom
/// format fills {system} / {user} / {assistant} placeholders. Templates that write the BOS token themselves
/// (<see cref="WritesBeginningOfSequence"/>) must be encoded with <c>addSpecialTokens: false</c>, as Hugging Face's
/// <c>apply_chat_template</c> does.
/// </summary>
public sealed class ChatTemplate
{
    private string system = "", user = "", assistant = "", generationPrompt = "", prefix = "";

    private ChatTemplate(ChatTemplateFormat kind, string name, string bosToken = "", string eosToken = "")
    {
        Kind = kind;
        Name = name;
        BosToken = bosToken;
        EosToken = eosToken;
    }

    /// <summary>Which format this is.</summary>
    public ChatTemplateFormat Kind { get; }

    /// <summary>The format's name as <see cref="FromName"/> accepts it.</summary>
    public string Name { get; }

    /// <summary>The BOS text the template writes (Llama 2: "&lt;s&gt;", Llama 3: "&lt;|begin_of_text|&gt;"), or "".</summary>
    public string BosToken { get; }

    /// <summary>The EOS text written after assistant turns (Llama 2: "&lt;/s&gt;"), or "".</summary>
    public string EosToken { get; }

    /// <summary>True when the formatted text starts with the BOS token: encode it without adding special tokens.</summary>
    public bool WritesBeginningOfSequence => Kind is ChatTemplateFormat.Llama2 or ChatTemplateFormat.Llama3 && BosToken.Length > 0;

    /// <summary>ChatML (Qwen / OpenHermes template, no default system prompt).</summary>
    public static ChatTemplate ChatML { get; } = new(ChatTemplateFormat.ChatML, "chatml");

    /// <summary>Meta Llama 3 Instruct.</summary>
    public static ChatTemplate Llama3 { get; } = new(ChatTemplateFormat.Llama3, "llama3", "<|begin_of_text|>", "<|eot_id|>");

    /// <summary>Meta Llama 2 Chat.</summary>
    public static ChatTemplate Llama2 { get; } = new(ChatTemplateFormat.Llama2, "llama2", "<s>", "</s>");

    /// <summary>Microsoft Phi-3 (the template in Phi-3's tokenizer_config.json; BOS comes from the tokenizer).</summary>
    public static ChatTemplate Phi3 { get; } = new(ChatTemplateFormat.Phi3, "phi3");

    /// <summary>Anthropic's Human/Assistant format (HH-RLHF prompts).</summary>
    public static ChatTemplate HumanAssistant { get; } = new(ChatTemplateFormat.HumanAssistant, "human-assistant");

    /// <summary>A built-in format by name: chatml, llama3 (llama-3), llama2 (llama-2), phi3 (phi-3), human-assistant (hh).</summary>
    public static ChatTemplate FromName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "chatml" => ChatML,
            "llama3" or "llama-3" => Llama3,
            "llama2" or "llama-2" => Llama2,
            "phi3" or "phi-3" => Phi3,
            "human-assistant" or "hh" or "human_assistant" => HumanAssistant,
            _ => throw new ArgumentException(
                $"'{name}' is not a built-in chat format. Use chatml, llama3, llama2, phi3 or human-assistant, or ChatTemplate.Custom.", nameof(name)),
        };
    }

    /// <summary>
    /// A placeholder template: <paramref name="prefix"/>, then each message through the template of its role
    /// ({system}, {user}, {assistant} stand for the content), then <paramref name="generationPrompt"/> when asked for.
    /// </summary>
    public static ChatTemplate Custom(string user, string assistant, string system = "{system}\n\n", string generationPrompt = "", string prefix = "")
    {
        Require(user, "{user}", nameof(user));
        Require(assistant, "{assistant}", nameof(assistant));
        Require(system, "{system}", nameof(system));
        ArgumentNullException.ThrowIfNull(generationPrompt);
        ArgumentNullException.ThrowIfNull(prefix);
        var template = new ChatTemplate(ChatTemplateFormat.Custom, "custom");
        (template.user, template.assistant, template.system, template.generationPrompt, template.prefix) =
            (user, assistant, system, generationPrompt, prefix);
        return template;
    }

    private static void Require(string template, string placeholder, string paramName)
    {
        ArgumentNullException.ThrowIfNull(template, paramName);
        if (!template.Contains(placeholder, StringComparison.Ordinal))
            throw new ArgumentException($"The {paramName} template '{template}' lacks the {placeholder} placeholder; add it where the content goes.", paramName);
    }

    /// <summary>Recognises a Jinja chat_template by its markers; <see cref="ChatTemplateFormat.None"/> when unknown.</summary>
    public static ChatTemplateFormat Detect(string? jinjaTemplate)
    {
        if (string.IsNullOrWhiteSpace(jinjaTemplate)) return ChatTemplateFormat.None;
        bool Has(string marker) => jinjaTemplate.Contains(marker, StringComparison.Ordinal);
        if (Has("<|im_start|>")) return ChatTemplateFormat.ChatML;
        if (Has("<|start_header_id|>")) return ChatTemplateFormat.Llama3;
        if (Has("[INST]") && Has("<<SYS>>")) return ChatTemplateFormat.Llama2;
        if (Has("<|end|>") && Has("<|assistant|>")) return ChatTemplateFormat.Phi3;
        if (Has("Human:") && Has("Assistant:")) return ChatTemplateFormat.HumanAssistant;
        return ChatTemplateFormat.None;
    }

    /// <summary>
    /// The format of a model folder's tokenizer_config.json chat_template (with its bos/eos token text), or null when the
    /// folder has none or it is not one of the known formats.
    /// </summary>
    public static ChatTemplate? FromFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var path = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(path)) return null;
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true });
            root = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ModelFolderException(path, $"the file is not valid JSON ({e.Message}).", "restore tokenizer_config.json from the model's repository.", e);
        }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("chat_template", out var ct)) return null;
        var template = ct.ValueKind switch
        {
            JsonValueKind.String => ct.GetString(),
            JsonValueKind.Array => ct.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
                .OrderByDescending(e => e.TryGetProperty("name", out var n) && n.GetString() == "default")
                .Select(e => e.TryGetProperty("template", out var t) ? t.GetString() : null).FirstOrDefault(),
            _ => null,
        };
        string? Token(string name) => root.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind == JsonValueKind.Object && v.TryGetProperty("content", out var c) ? c.GetString() : null
            : null;
        return Detect(template) switch
        {
            ChatTemplateFormat.ChatML => ChatML,
            ChatTemplateFormat.Llama3 => new ChatTemplate(ChatTemplateFormat.Llama3, "llama3", Token("bos_token") ?? "<|begin_of_text|>", "<|eot_id|>"),
            ChatTemplateFormat.Llama2 => new ChatTemplate(ChatTemplateFormat.Llama2, "llama2", Token("bos_token") ?? "<s>", Token("eos_token") ?? "</s>"),
            ChatTemplateFormat.Phi3 => Phi3,
            ChatTemplateFormat.HumanAssistant => HumanAssistant,
            _ => null,
        };
    }

    /// <summary>Formats the conversation; with <paramref name="addGenerationPrompt"/> it ends where the assistant's reply begins.</summary>
    public string Format(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0) throw new ArgumentException("Pass at least one message.", nameof(messages));
        foreach (var m in messages)
        {
            if (m is null || string.IsNullOrWhiteSpace(m.Role) || m.Content is null)
                throw new ArgumentException("Every message needs a role and non-null content.", nameof(messages));
        }
        var sb = new StringBuilder();
        switch (Kind)
        {
            case ChatTemplateFormat.ChatML:
                foreach (var m in messages) sb.Append("<|im_start|>").Append(m.Role).Append('\n').Append(m.Content).Append("<|im_end|>\n");
                if (addGenerationPrompt) sb.Append("<|im_start|>assistant\n");
                break;
            case ChatTemplateFormat.Llama3:
                sb.Append(BosToken);
                foreach (var m in messages)
                    sb.Append("<|start_header_id|>").Append(m.Role).Append("<|end_header_id|>\n\n").Append(PythonStrip(m.Content)).Append("<|eot_id|>");
                if (addGenerationPrompt) sb.Append("<|start_header_id|>assistant<|end_header_id|>\n\n");
                break;
            case ChatTemplateFormat.Llama2:
                FormatLlama2(messages, sb);
                break;
            case ChatTemplateFormat.Phi3:
                foreach (var m in messages) sb.Append("<|").Append(m.Role).Append("|>\n").Append(m.Content).Append("<|end|>\n");
                if (addGenerationPrompt && messages[^1].Role != "assistant") sb.Append("<|assistant|>\n");
                break;
            case ChatTemplateFormat.HumanAssistant:
                foreach (var m in messages)
                {
                    sb.Append(RoleOf(m) switch { "system" => "", "user" => "\n\nHuman: ", _ => "\n\nAssistant: " }).Append(m.Content);
                }
                if (addGenerationPrompt) sb.Append("\n\nAssistant:");
                break;
            case ChatTemplateFormat.Custom:
                sb.Append(prefix);
                foreach (var m in messages)
                {
                    sb.Append(RoleOf(m) switch
                    {
                        "system" => system.Replace("{system}", m.Content, StringComparison.Ordinal),
                        "user" => user.Replace("{user}", m.Content, StringComparison.Ordinal),
                        _ => assistant.Replace("{assistant}", m.Content, StringComparison.Ordinal),
                    });
                }
                if (addGenerationPrompt) sb.Append(generationPrompt);
                break;
            default:
                throw new InvalidOperationException("ChatTemplateFormat.None has no formatting; pick a format with ChatTemplate.FromName.");
        }
        return sb.ToString();
    }

    /// <summary>Meta's Llama 2 chat template: system folded into the first user turn, roles must alternate user/assistant.</summary>
    private void FormatLlama2(IReadOnlyList<ChatMessage> messages, StringBuilder sb)
    {
        var start = 0;
        string? systemMessage = null;
        if (RoleOf(messages[0]) == "system")
        {
            systemMessage = messages[0].Content;
            start = 1;
        }
        for (var i = start; i < messages.Count; i++)
        {
            var index = i - start;
            var m = messages[i];
            var role = RoleOf(m);
            if ((role == "user") != (index % 2 == 0))
                throw new ArgumentException("Conversation roles must alternate user/assistant/user/assistant/... (Llama 2 template).", nameof(messages));
            var content = index == 0 && systemMessage is not null ? "<<SYS>>\n" + systemMessage + "\n<</SYS>>\n\n" + m.Content : m.Content;
            switch (role)
            {
                case "user": sb.Append(BosToken).Append("[INST] ").Append(PythonStrip(content)).Append(" [/INST]"); break;
                case "system": sb.Append("<<SYS>>\n").Append(PythonStrip(content)).Append("\n<</SYS>>\n\n"); break;
                default: sb.Append(' ').Append(PythonStrip(content)).Append(' ').Append(EosToken); break;
            }
        }
    }

    private static string RoleOf(ChatMessage m) => m.Role switch
    {
        "system" or "user" or "assistant" => m.Role,
        _ => throw new ArgumentException($"Role '{m.Role}' is not supported by this format; use system, user or assistant.", "messages"),
    };

    /// <summary>Python's str.strip() / Jinja's trim: Unicode whitespace at both ends.</summary>
    private static string PythonStrip(string s) => s.Trim();
}
