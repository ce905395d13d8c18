using System.Management.Automation;
using AlignedGen.PowerShell.Infrastructure;

namespace AlignedGen.PowerShell.Prompts;

/// <summary>
/// Base class for cmdlets that take prompts: strings, or objects (PSCustomObject, Import-JsonLines rows, hashtables)
/// with a Prompt property and optional Id, Response and Reference, from the pipeline or from -Prompt. Inputs are read
/// by <see cref="PromptInputReader"/>, collected into batches of -BatchSize and handed to
/// <see cref="ProcessPromptBatch"/>; the last, partial batch comes at the end of the input. An input without prompt
/// text is a non-terminating <see cref="AlignedGenErrorIds.InvalidArgument"/> error. Derived cmdlets load models in
/// BeginProcessing and write results from ProcessPromptBatch.
/// </summary>
public abstract class PromptPipelineCmdlet : AlignedGenCmdlet
{
    /// <summary>-BatchSize when not given.</summary>
    public const int DefaultBatchSize = 8;

    private PromptBatcher? _batcher;

    /// <summary>
    /// The prompts: strings or objects with a Prompt property. Typed object[] on purpose: a string[] parameter would let
    /// PowerShell turn an object without a Prompt property into its "@{...}" text and use that as the prompt.
    /// </summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [AllowEmptyString]
    [AllowNull]
    [Alias("InputObject")]
    public object?[] Prompt { get; set; } = Array.Empty<object?>();

    /// <summary>How many prompts are processed together.</summary>
    [Parameter]
    [ValidateRange(1, 65536)]
    public int BatchSize { get; set; } = DefaultBatchSize;

    /// <summary>Processes one batch (BatchSize prompts, or fewer for the last). Runs on the pipeline thread.</summary>
    protected abstract void ProcessPromptBatch(IReadOnlyList<PromptItem> batch);

    /// <summary>Called after the last batch; override to write summaries. Runs on the pipeline thread.</summary>
    protected virtual void EndOfPrompts()
    {
    }

    /// <inheritdoc />
    protected sealed override void ProcessRecord()
    {
        _batcher ??= new PromptBatcher(BatchSize);
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
            if (_batcher.Add(fields.Prompt, fields.Id, fields.Response, fields.Reference) is { } batch)
                ProcessPromptBatch(batch);
        }
    }

    /// <inheritdoc />
    protected sealed override void EndProcessing()
    {
        if (_batcher?.Flush() is { } last) ProcessPromptBatch(last);
        EndOfPrompts();
    }
}
