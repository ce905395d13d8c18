using AlignedGen.Data;

namespace AlignedGen.Jobs;

/// <summary>Reads a job's input in order, numbering records (corrupt ones too) and skipping corrupt ones in skip mode.</summary>
internal sealed class JobInput : IDisposable
{
    private readonly IRecordReader _reader;
    private readonly bool _skipBad;
    private readonly SkippedRecordLog? _skipped;
    private bool _ended;

    /// <summary>Opens the input; with <paramref name="skipBad"/>, corrupt records are skipped (and logged when a log is given).</summary>
    internal JobInput(DatasetJobSpec spec, bool skipBad, SkippedRecordLog? skipped = null)
    {
        _reader = RecordFiles.OpenReader(spec.InputPath, spec.InputFormat, spec.ReaderOptions);
        _skipBad = skipBad;
        _skipped = skipped;
    }

    /// <summary>Columns the input declares (CSV header, Parquet schema), or null (JSONL).</summary>
    internal IReadOnlyList<string>? DeclaredColumns => _reader.DeclaredColumns;

    internal string SourceName => _reader.SourceName;

    /// <summary>Records read so far, corrupt ones included.</summary>
    internal long RecordsRead { get; private set; }

    /// <summary>The next good record with its 0-based record index and line number; false at the end.</summary>
    internal bool TryNext(out DataRow row, out long recordIndex, out long lineNumber)
    {
        while (!_ended)
        {
            DataRow? next;
            try
            {
                next = _reader.Read();
            }
            catch (CorruptRecordException ex) when (_skipBad)
            {
                RecordsRead++;
                _skipped?.Add(ex.LineNumber ?? _reader.LineNumber, ex.Problem, ex.RecordText);
                if (!ex.CanContinue) _ended = true;
                continue;
            }
            if (next is null) break;
            row = next;
            recordIndex = RecordsRead++;
            lineNumber = _reader.LineNumber;
            return true;
        }
        _ended = true;
        row = null!;
        recordIndex = -1;
        lineNumber = 0;
        return false;
    }

    public void Dispose() => _reader.Dispose();
}
