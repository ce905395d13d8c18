using System.Management.Automation;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.Tokenization;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// ConvertFrom-TokenId: decodes token ids to text with a model's tokenizer. One string per -TokenId array; takes the
/// TokenIds property of ConvertTo-TokenId output from the pipeline.
/// </summary>
[Cmdlet(VerbsData.ConvertFrom, "TokenId")]
[OutputType(typeof(string))]
public sealed class ConvertFromTokenIdCommand : TokenizerCmdlet
{
    /// <summary>The ids to decode.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("TokenIds", "Ids")]
    [AllowEmptyCollection]
    public int[] TokenId { get; set; } = Array.Empty<int>();

    /// <summary>Keep special tokens such as &lt;s&gt; in the text instead of dropping them.</summary>
    [Parameter]
    public SwitchParameter KeepSpecialTokens { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var vocabularySize = LoadedTokenizer.VocabularySize;
        var outside = TokenId.Where(id => id < 0 || id >= vocabularySize).ToArray();
        if (outside.Length > 0)
        {
            WriteCoreError(new ArgumentOutOfRangeException(nameof(TokenId), string.Join(", ", outside),
                $"Token ids must lie in 0..{vocabularySize - 1} for this tokenizer ({vocabularySize} ids); these do not: {string.Join(", ", outside)}. Check that the ids come from the same tokenizer."), TokenId);
            return;
        }
        WriteObject(LoadedTokenizer.Decode(TokenId, skipSpecialTokens: !KeepSpecialTokens));
    }
}
