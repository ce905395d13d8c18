using System.Management.Automation;
using AlignedGen.Relabeling;

namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>
/// Base of the cmdlets that walk a relabel job's input (Invoke-RewardRelabel, Merge-RelabelShard): the column
/// parameters and the skip mode, which a merge must repeat exactly as the shards were run.
/// </summary>
public abstract class RelabelFileCmdlet : AlignedGenCmdlet
{
    /// <summary>Row id column (resume and sharding); "none" to identify rows by a hash of their content.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string IdColumn { get; set; } = "id";

    /// <summary>Prompt column.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string PromptColumn { get; set; } = "prompt";

    /// <summary>Response column (text, or a list of texts).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string ResponseColumn { get; set; } = "response";

    /// <summary>Reference answer column handed to the rewards.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ReferenceColumn { get; set; }

    /// <summary>Skip corrupt records (listed in &lt;output&gt;.skipped.jsonl) instead of stopping.</summary>
    [Parameter]
    public SwitchParameter SkipBadRecords { get; set; }

    /// <summary>The core's column map of these parameters.</summary>
    protected ColumnMap InputColumns => DataColumns.Map(IdColumn, PromptColumn, ResponseColumn, ReferenceColumn);
}
