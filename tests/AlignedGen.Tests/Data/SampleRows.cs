using AlignedGen.Data;

namespace AlignedGen.Tests.Data;

/// <summary>Deterministic test rows whose texts stress quoting: commas, quotes, tabs, line breaks, non-ASCII.</summary>
public static class SampleRows
{
    private static readonly string[] Fragments =
    {
        "plain words", "a, comma", "say \"hi\"", "two\nlines", "tab\there", "crlf\r\nline", "naïve café ✓", "", " padded ", "end\"",
    };

    /// <summary>Rows {id, prompt_id, prompt, response}: four responses per prompt.</summary>
    public static List<DataRow> Make(int count, int responsesPerPrompt = 4)
    {
        var rows = new List<DataRow>(count);
        for (var i = 0; i < count; i++)
        {
            var p = i / responsesPerPrompt;
            rows.Add(new DataRow
            {
                ["id"] = $"r{i:D5}",
                ["prompt_id"] = $"p{p:D4}",
                ["prompt"] = $"Prompt {p}: {Fragments[p % Fragments.Length]}",
                ["response"] = $"Response {i} {Fragments[i % Fragments.Length]} {new string('x', (i * 7) % 23)}",
            });
        }
        return rows;
    }

    /// <summary>Writes rows to a file in the given (or extension's) format.</summary>
    public static void Write(string path, IReadOnlyList<DataRow> rows, RecordFormat? format = null, RecordWriterOptions? options = null)
    {
        using var writer = RecordFiles.CreateWriter(path, format, options);
        writer.Write(rows);
    }

    /// <summary>Reads every row of a file.</summary>
    public static List<DataRow> ReadAll(string path, RecordFormat? format = null, RecordReaderOptions? options = null)
    {
        using var reader = RecordFiles.OpenReader(path, format, options);
        var rows = new List<DataRow>();
        for (var row = reader.Read(); row is not null; row = reader.Read()) rows.Add(row);
        return rows;
    }
}
