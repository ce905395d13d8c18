using System.Management.Automation;

namespace AlignedGen.PowerShell.Prompts;

/// <summary>
/// A <see cref="PromptPipelineCmdlet"/> whose input objects may also carry a Response (text to score) and a Reference
/// (a reference answer), bound by property name or given as -Response / -Reference. For scoring and evaluation cmdlets.
/// </summary>
public abstract class PromptResponsePipelineCmdlet : PromptPipelineCmdlet
{
    /// <summary>The response to the prompt (by property name).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string? Response { get; set; }

    /// <summary>A reference answer for the prompt (by property name).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string? Reference { get; set; }

    /// <inheritdoc />
    protected override string? CurrentResponse => Response;

    /// <inheritdoc />
    protected override string? CurrentReference => Reference;
}
