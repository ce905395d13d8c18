using AlignedGen.Models;
using AlignedGen.Tokenization;

namespace AlignedGen.Rewards;

/// <summary>A single-sequence format: render (prompt, response) to text, tokenize without special tokens, optionally put BOS in front.</summary>
internal sealed class TextRewardInputFormat : RewardInputFormat
{
    private readonly Func<string, string, string> _render;
    private readonly bool _addBos;

    public TextRewardInputFormat(string name, bool addBos, Func<string, string, string> render) : base(name)
    {
        _addBos = addBos;
        _render = render;
    }

    internal override bool AddsBos => _addBos;

    internal override void CheckTokenizer(ITextTokenizer tokenizer, string modelPath)
    {
        if (_addBos && tokenizer.SpecialTokens.Bos is null)
            throw new ModelFolderException(modelPath, $"The input format '{Name}' puts BOS in front, but the tokenizer declares no BOS token.",
                "Declare bos_token in tokenizer_config.json, or choose a format with addBos: false.");
    }

    internal override RewardInputParts Encode(ITextTokenizer tokenizer, string prompt, string response)
    {
        var text = _render(prompt, response);
        var ids = ToArray(tokenizer.Encode(text, addSpecialTokens: false));
        var prefix = _addBos ? new[] { tokenizer.SpecialTokens.Bos!.Value } : Array.Empty<int>();
        return RewardInputParts.Single(prefix, ids);
    }
}
