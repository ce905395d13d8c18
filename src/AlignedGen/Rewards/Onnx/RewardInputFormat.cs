using AlignedGen.Tokenization;

namespace AlignedGen.Rewards;

/// <summary>
/// How a reward model's input is built from (prompt, response): the text layout, the special tokens around it and,
/// for pair formats, the segment (token type) ids. Pick the format the reward model was trained with.
/// An empty response is rendered by the format as it stands (no special case) except where a format says otherwise.
/// </summary>
public abstract class RewardInputFormat
{
    private protected RewardInputFormat(string name) => Name = name;

    /// <summary>A short description of the format, for reports.</summary>
    public string Name { get; }

    /// <summary>
    /// <c>BOS + tokenize(prompt + " " + response)</c>: the LM's view of prompt then continuation (rm-llama-*).
    /// An empty response gives <c>BOS + tokenize(prompt)</c> (no trailing space), an empty prompt <c>BOS + tokenize(response)</c>.
    /// </summary>
    public static RewardInputFormat PromptSpaceResponse { get; } = new TextRewardInputFormat(
        "BOS + prompt + \" \" + response", addBos: true,
        static (p, r) => p.Length == 0 ? r : r.Length == 0 ? p : string.Concat(p, " ", r));

    /// <summary>
    /// <c>tokenize(prompt + " " + response)</c> without BOS: the default in place of <see cref="PromptSpaceResponse"/> when
    /// the tokenizer declares no BOS token (Qwen2 and tiktoken-based tokenizers: their models are trained without one).
    /// </summary>
    internal static RewardInputFormat PromptSpaceResponseWithoutBos { get; } = new TextRewardInputFormat(
        "prompt + \" \" + response", addBos: false,
        static (p, r) => p.Length == 0 ? r : r.Length == 0 ? p : string.Concat(p, " ", r));

    /// <summary>The default for decoder reward models: <see cref="PromptSpaceResponse"/>, without BOS when the tokenizer has none.</summary>
    internal static RewardInputFormat DecoderDefault(ITextTokenizer? tokenizer) =>
        tokenizer is not null && tokenizer.SpecialTokens.Bos is null ? PromptSpaceResponseWithoutBos : PromptSpaceResponse;

    /// <summary>BERT pair encoding <c>[CLS] prompt [SEP] response [SEP]</c>, token type 0 up to the first [SEP], 1 after (rm-wordpiece).</summary>
    public static RewardInputFormat BertPair { get; } = new BertPairRewardInputFormat();

    /// <summary>Anthropic HH layout <c>BOS + "\n\nHuman: {prompt}\n\nAssistant: {response}"</c>.</summary>
    public static RewardInputFormat HumanAssistant { get; } = Template("\n\nHuman: {prompt}\n\nAssistant: {response}", addBos: true);

    /// <summary>
    /// A text template with <c>{prompt}</c> and <c>{response}</c> placeholders (each may appear any number of times;
    /// <c>{response}</c> at least once). Placeholders are filled in one pass, so braces inside prompts are safe.
    /// With <paramref name="addBos"/> the tokenizer's BOS id is put in front.
    /// </summary>
    public static RewardInputFormat Template(string template, bool addBos = true)
    {
        var render = TextTemplate.Parse(template, nameof(template));
        return new TextRewardInputFormat($"{(addBos ? "BOS + " : "")}template \"{Escape(template)}\"", addBos, render);
    }

    /// <summary>
    /// A chat-template-based format: <paramref name="render"/> turns (prompt, response) into the full conversation text
    /// (e.g. a tokenizer's chat template applied to a user and an assistant message). The text is tokenized without
    /// adding special tokens, so the rendered text must contain BOS etc. itself as the template writes them.
    /// </summary>
    public static RewardInputFormat ChatTemplate(Func<string, string, string> render, string name = "chat template")
    {
        ArgumentNullException.ThrowIfNull(render);
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("Give the format a name for reports.", nameof(name));
        return new TextRewardInputFormat(name, addBos: false, render);
    }

    /// <summary>True for two-segment formats (with token type ids).</summary>
    internal virtual bool IsPair => false;

    /// <summary>True when the format puts the tokenizer's BOS in front; the token-id path then keeps the first id when truncating.</summary>
    internal abstract bool AddsBos { get; }

    /// <summary>Throws <see cref="ModelFolderException"/> when the tokenizer lacks a special token the format needs.</summary>
    internal abstract void CheckTokenizer(ITextTokenizer tokenizer, string modelPath);

    /// <summary>Tokenizes one (prompt, response) into fixed and truncatable parts.</summary>
    internal abstract RewardInputParts Encode(ITextTokenizer tokenizer, string prompt, string response);

    /// <inheritdoc />
    public override string ToString() => Name;

    internal static int[] ToArray(IReadOnlyList<int> ids)
    {
        if (ids is int[] array) return array;
        var result = new int[ids.Count];
        for (var i = 0; i < result.Length; i++) result[i] = ids[i];
        return result;
    }

    private static string Escape(string text) => text.Replace("\n", "\\n", StringComparison.Ordinal);
}
