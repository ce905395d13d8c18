using System.Management.Automation;
using AlignedGen.PowerShell.Infrastructure;

namespace AlignedGen.PowerShell.Prompts;

/// <summary>
/// Base class for cmdlets that take prompts: strings, or objects (PSCustomObject, Import-JsonLines rows, hashtables)
/// with a Prompt property and optional Id, Response and Reference, from the pipeline or from -Prompt. Each input is read
/// by <see cref="PromptInputReader"/> and handed to <see cref="ProcessPrompt"/> with its position; batching is the core
/// generator's job (one stage, -BatchSize of the decoding cmdlets). An input without prompt text is a non-terminating
/// <see cref="AlignedGenErrorIds.InvalidArgument"/> error.
/// </summary>
public abstract class PromptPipelineCmdlet : AlignedGenCmdlet
{
    private long _received;

    /// <summary>
    /// The prompts: strings or objects with a Prompt property. Typed object[] on purpose: a string[] parameter would let
    /// PowerShell turn an object without a Prompt property into its "@{...}" text and use that as the prompt.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowEmptyString]
    [AllowNull]
    [Alias("InputObject")]
    public object?[] Prompt { get; set; } = Array.Empty<object?>();

    /// <summary>Takes one prompt (Index counts every prompt received). Runs on the pipeline thread.</summary>
    protected abstract void ProcessPrompt(PromptItem prompt);

    /// <summary>Called after the last prompt; override to decode or write summaries. Runs on the pipeline thread.</summary>
    protected virtual void EndOfPrompts()
    {
    }

    /// <inheritdoc />
    protected sealed override void ProcessRecord()
    {
        foreach (var input in Prompt)
        {
            (string Prompt, string? Id, string? Response, string? Reference) fields;
            try
            {
                fields = PromptInputReader.Read(input);
            }
            catch (ArgumentException ex)
            {
                WriteCoreError(ex, input);
                continue;
            }
            ProcessPrompt(new PromptItem(_received++, fields.Id, fields.Prompt, fields.Response, fields.Reference));
        }
    }

    /// <inheritdoc />
    protected sealed override void EndProcessing() => EndOfPrompts();
}
