namespace AlignedGen.PowerShell.Output;

/// <summary>A text and its token ids, written by ConvertTo-TokenId; pipes into ConvertFrom-TokenId by its TokenIds property.</summary>
public sealed class TokenizedText
{
    /// <summary>The text that was encoded.</summary>
    public required string Text { get; init; }

    /// <summary>The token ids, special tokens included when -AddSpecialTokens was given.</summary>
    public required JsonTextList<int> TokenIds { get; init; }

    /// <summary>The token string of each id (e.g. "▁Once"), in the tokenizer's own spelling.</summary>
    public required JsonTextList<string?> Tokens { get; init; }

    /// <summary>Number of tokens.</summary>
    public int Count => TokenIds.Count;

    /// <inheritdoc />
    public override string ToString() => string.Join(' ', TokenIds);
}
