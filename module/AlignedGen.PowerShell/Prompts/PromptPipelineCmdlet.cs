using System.Management.Automation;
using AlignedGen.PowerShell.Infrastructure;

namespace AlignedGen.PowerShell.Prompts;

/// <summary>
/// Base class for cmdlets that take prompts: strings from the pipeline (by value), objects with a Prompt property
/// (by property name, with an optional Id), or -Prompt "a","b". Prompts are collected into batches of -BatchSize and
/// handed to <see cref="ProcessPromptBatch"/>; the last, partial batch comes at the end of the input. Derived cmdlets
/// load models in BeginProcessing (call the base) and write results from ProcessPromptBatch.
/// </summary>
public abstract class PromptPipelineCmdlet : AlignedGenCmdlet
{
    /// <summary>-BatchSize when not given.</summary>
    public const int DefaultBatchSize = 8;

    private PromptBatcher? _batcher;

    /// <summary>The prompt text(s).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string[] Prompt { get; set; } = Array.Empty<string>();

    /// <summary>An identifier carried from the input object to the output (by property name).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Id { get; set; }

    /// <summary>How many prompts are processed together.</summary>
    [Parameter]
    [ValidateRange(1, 65536)]
    public int BatchSize { get; set; } = DefaultBatchSize;

    /// <summary>The response text of the current input object; null unless a derived class binds one.</summary>
    protected virtual string? CurrentResponse => null;

    /// <summary>The reference text of the current input object; null unless a derived class binds one.</summary>
    protected virtual string? CurrentReference => null;

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
        if (Id is not null && Prompt.Length > 1)
        {
            WriteCoreError(new ArgumentException(
                $"-Id names one prompt, but {Prompt.Length} prompts came with it. Give one prompt per Id, or leave -Id out.", nameof(Id)), Id);
            return;
        }
        foreach (var text in Prompt)
        {
            if (text is null)
            {
                WriteCoreError(new ArgumentNullException(nameof(Prompt), "A prompt is null; give text (an empty string is allowed)."));
                continue;
            }
            if (_batcher.Add(text, Id, CurrentResponse, CurrentReference) is { } batch)
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
