using AlignedGen.Data;
using AlignedGen.Decoding;
using AlignedGen.Relabeling;

namespace AlignedGen.Cli.Inputs;

/// <summary>
/// The prompts of a generate or compare run: inline `--prompt` texts (ids 0, 1, ...) then the rows of the `--input`
/// file in any record format, mapped by the column options. A row that cannot be used (corrupt, or without a prompt)
/// is reported and counted, and the run goes on with the others.
/// </summary>
public sealed class PromptRows
{
    private PromptRows(IReadOnlyList<GenerationRequest> requests, IReadOnlyList<string> problems)
    {
        Requests = requests;
        Problems = problems;
    }

    /// <summary>The usable prompts, in order, at most the limit.</summary>
    public IReadOnlyList<GenerationRequest> Requests { get; }

    /// <summary>One line per row that was left out (file:line: problem).</summary>
    public IReadOnlyList<string> Problems { get; }

    public static PromptRows Read(IReadOnlyList<string> inline, string? file, ColumnMap columns, int? limit)
    {
        var requests = inline.Select((p, i) => new GenerationRequest(p, i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var problems = new List<string>();
        int max = limit ?? int.MaxValue;
        if (file is not null && requests.Count < max)
        {
            using var reader = RecordFiles.OpenReader(file);
            long index = 0;
            while (requests.Count < max)
            {
                DataRow? row;
                try
                {
                    row = reader.Read();
                }
                catch (CorruptRecordException e) when (e.CanContinue)
                {
                    problems.Add($"{e.Path}, line {e.LineNumber}: {e.Problem}");
                    continue;
                }
                if (row is null) break;
                index++;
                var prompt = row.GetText(columns.Prompt);
                if (prompt is null && columns.Prompt == ColumnMap.Default.Prompt) prompt = row.GetText("instruction");
                if (string.IsNullOrEmpty(prompt))
                {
                    problems.Add($"{file}, line {reader.LineNumber}: no text in the prompt column '{columns.Prompt}' (columns: {string.Join(", ", row.ColumnNames)}). Fix: name the column with --prompt-column.");
                    continue;
                }
                var id = columns.Id is not null && row.GetText(columns.Id) is { Length: > 0 } given ? given : reader.LineNumber.ToString(System.Globalization.CultureInfo.InvariantCulture);
                var reference = columns.Reference is null ? null : row.GetText(columns.Reference);
                requests.Add(new GenerationRequest(prompt, id, reference));
            }
        }
        if (requests.Count > max) requests.RemoveRange(max, requests.Count - max);
        if (requests.Count == 0 && problems.Count == 0)
            throw new CliUsageException(file is null
                ? "No prompts: give --prompt TEXT or --input FILE (.jsonl, .csv, .tsv or .parquet)."
                : $"{file} has no rows.");
        return new PromptRows(requests, problems);
    }
}
