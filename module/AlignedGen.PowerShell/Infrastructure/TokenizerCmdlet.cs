using System.Management.Automation;
using AlignedGen.Tokenization;

namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>
/// Base of the cmdlets that work with one tokenizer (ConvertTo-TokenId, ConvertFrom-TokenId): the -Tokenizer
/// parameter, resolved against PowerShell's location and loaded once in BeginProcessing (a bad folder is terminating).
/// </summary>
public abstract class TokenizerCmdlet : AlignedGenCmdlet
{
    private ITextTokenizer? _loaded;

    /// <summary>A model folder or tokenizer file.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Tokenizer { get; set; } = string.Empty;

    /// <summary>The tokenizer loaded from <see cref="Tokenizer"/> (available from ProcessRecord on).</summary>
    protected ITextTokenizer LoadedTokenizer => _loaded ?? throw new InvalidOperationException("The tokenizer is loaded in BeginProcessing.");

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        var path = ResolveOutputPath(Tokenizer);
        try
        {
            _loaded = TokenizerFiles.Load(path);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex, path);
        }
    }
}
