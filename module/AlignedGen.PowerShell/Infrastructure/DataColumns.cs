using AlignedGen.Relabeling;

namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>The core's <see cref="ColumnMap"/> from the file cmdlets' -IdColumn, -PromptColumn, ... parameters ("none" for no id column).</summary>
public static class DataColumns
{
    /// <summary>A column map; an <paramref name="id"/> of "none" identifies rows by content.</summary>
    public static ColumnMap Map(string id, string prompt, string response, string? reference = null, string? promptId = null) => new()
    {
        Id = string.Equals(id, "none", StringComparison.OrdinalIgnoreCase) ? null : id,
        Prompt = prompt,
        Response = response,
        Reference = reference,
        PromptId = promptId,
    };
}
