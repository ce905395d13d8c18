using AlignedGen.Models;
using AlignedGen.Tokenization;

namespace AlignedGen.Rewards;

/// <summary><c>[CLS] prompt [SEP] response [SEP]</c> with token types 0 / 1, as BERT's pair post-processor builds it.</summary>
internal sealed class BertPairRewardInputFormat : RewardInputFormat
{
    internal const string ClsToken = "[CLS]";
    internal const string SepToken = "[SEP]";

    public BertPairRewardInputFormat() : base("[CLS] prompt [SEP] response [SEP]") { }

    internal override bool IsPair => true;

    internal override bool AddsBos => false;

    internal override void CheckTokenizer(ITextTokenizer tokenizer, string modelPath)
    {
        if (tokenizer.TokenToId(ClsToken) is null || tokenizer.TokenToId(SepToken) is null)
            throw new ModelFolderException(modelPath, $"The BERT pair format needs {ClsToken} and {SepToken} tokens, but the tokenizer has no such tokens.",
                "Use the reward model's own BERT tokenizer (vocab.txt / tokenizer.json), or choose another RewardInputFormat.");
    }

    internal override RewardInputParts Encode(ITextTokenizer tokenizer, string prompt, string response)
    {
        var cls = tokenizer.TokenToId(ClsToken)!.Value;
        var sep = tokenizer.TokenToId(SepToken)!.Value;
        var first = ToArray(tokenizer.Encode(prompt, addSpecialTokens: false));
        var second = ToArray(tokenizer.Encode(response, addSpecialTokens: false));
        return new RewardInputParts(new[] { cls }, first, new[] { sep }, second, new[] { sep });
    }
}
