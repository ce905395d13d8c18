using System.Management.Automation;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.PowerShell.Output;
using AlignedGen.Tokenization;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// ConvertTo-TokenId: encodes text with a model's tokenizer and writes a <see cref="TokenizedText"/> per input. Text comes
/// from -Text, from piped strings, or from the Text property of piped objects.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "TokenId")]
[OutputType(typeof(TokenizedText))]
public sealed class ConvertToTokenIdCommand : TokenizerCmdlet
{
    /// <summary>Texts: strings, or objects with a Text property (typed object[] so other objects are refused, not stringified).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
    [AllowEmptyString]
    [AllowNull]
    public object?[] Text { get; set; } = Array.Empty<object?>();

    /// <summary>Run the tokenizer's post-processor (e.g. BOS for Llama, [CLS]/[SEP] for BERT).</summary>
    [Parameter]
    public SwitchParameter AddSpecialTokens { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var input in Text)
        {
            string text;
            try
            {
                text = PipelineInputReader.ReadText(input, nameof(Text));
            }
            catch (ArgumentException ex)
            {
                WriteCoreError(ex, input);
                continue;
            }
            var ids = LoadedTokenizer.Encode(text, AddSpecialTokens).ToArray();
            WriteObject(new TokenizedText
            {
                Text = text,
                TokenIds = new(ids),
                Tokens = new(ids.Select(LoadedTokenizer.IdToToken).ToArray()),
            });
        }
    }
}
