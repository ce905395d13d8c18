using AlignedGen.Data;
using AlignedGen.Decoding;
using AlignedGen.Generation;

namespace AlignedGen.Cli.Inputs;

/// <summary>One generated response as an output row of the streaming generate path: id, prompt, then the result columns of the one schema (<see cref="ResultColumns"/>, docs/data-schema.md).</summary>
public static class ResponseRows
{
    private static readonly HashSet<string> TextColumns = new(StringComparer.Ordinal)
    {
        ResultColumns.Id, ResultColumns.Prompt, ResultColumns.Response, ResultColumns.FinishReason, ResultColumns.Error, ResultColumns.Strategy,
    };

    public static readonly RecordSchema Schema = new(new[] { ResultColumns.Id, ResultColumns.Prompt }.Concat(ResultColumns.All)
        .Select(name => new RecordColumn(name, TextColumns.Contains(name) ? ColumnKind.Text : ColumnKind.Number)).ToArray());

    /// <summary>The row of a result, its error (if any) in the CLI's words.</summary>
    public static DataRow From(GenerationResult r) => ResultColumns.ToRow(r.Error is null ? r : r with { Error = CliFixes.Translate(r.Error) });
}
