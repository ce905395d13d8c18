using AlignedGen.Data;

namespace AlignedGen.Cli.Inputs;

/// <summary>Where generate's rows go: JSONL lines on stdout, JSONL appended to a file (resume), or a new file of any record format.</summary>
public sealed class ResponseSink : IDisposable
{
    private readonly TextWriter? _lines;
    private readonly bool _ownsLines;
    private readonly IRecordWriter? _records;
    private readonly List<DataRow> _pending = new();

    private ResponseSink(TextWriter? lines, bool ownsLines, IRecordWriter? records)
    {
        _lines = lines;
        _ownsLines = ownsLines;
        _records = records;
    }

    public static ResponseSink Open(string? path, TextWriter stdout, bool append)
    {
        if (path is null) return new ResponseSink(stdout, false, null);
        var format = RecordFiles.FormatFromPath(path);
        if (format == RecordFormat.Jsonl)
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
            var writer = new StreamWriter(path, append, new System.Text.UTF8Encoding(false)) { NewLine = "\n" };
            return new ResponseSink(writer, true, null);
        }
        var options = new RecordWriterOptions { Schema = ResponseRows.Schema, Columns = ResponseRows.Schema.Columns.Select(c => c.Name).ToArray() };
        return new ResponseSink(null, false, RecordFiles.CreateWriter(path, format, options));
    }

    public void Write(DataRow row)
    {
        if (_lines is not null) _lines.WriteLine(row.ToString());
        else _pending.Add(row);
    }

    /// <summary>Makes everything written so far durable in the file (JSONL, CSV) or a row group (Parquet).</summary>
    public void Flush()
    {
        if (_lines is not null)
        {
            _lines.Flush();
            return;
        }
        if (_pending.Count == 0) return;
        _records!.Write(_pending.ToArray());
        _records.Flush(toDisk: false);
        _pending.Clear();
    }

    public void Dispose()
    {
        Flush();
        if (_ownsLines) _lines!.Dispose();
        _records?.Dispose();
    }
}
