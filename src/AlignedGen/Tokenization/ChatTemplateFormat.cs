namespace AlignedGen.Tokenization;

/// <summary>The prompt formats <see cref="ChatTemplate"/> knows.</summary>
public enum ChatTemplateFormat
{
    /// <summary>No known format (no chat_template, or one not recognised).</summary>
    None,

    /// <summary>ChatML: <c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> (Qwen, OpenHermes, ...).</summary>
    ChatML,

    /// <summary>Llama 3 Instruct: <c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;\n\ncontent&lt;|eot_id|&gt;</c>.</summary>
    Llama3,

    /// <summary>Llama 2 Chat: <c>&lt;s&gt;[INST] &lt;&lt;SYS&gt;&gt;...&lt;&lt;/SYS&gt;&gt; user [/INST] assistant &lt;/s&gt;</c>.</summary>
    Llama2,

    /// <summary>Phi-3: <c>&lt;|role|&gt;\ncontent&lt;|end|&gt;\n</c>, generation prompt <c>&lt;|assistant|&gt;\n</c>.</summary>
    Phi3,

    /// <summary>Anthropic HH: <c>\n\nHuman: ...\n\nAssistant: ...</c>, generation prompt <c>\n\nAssistant:</c>.</summary>
    HumanAssistant,

    /// <summary>A user-defined placeholder template.</summary>
    Custom,
}
