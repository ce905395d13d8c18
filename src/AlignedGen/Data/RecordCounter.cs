namespace AlignedGen.Data;

/// <summary>Counts JSONL lines or CSV records by scanning bytes (no parsing), and finds the end of the last complete record.</summary>
internal static class RecordCounter
{
    /// <summary>Number of records: JSONL non-blank lines; CSV/TSV records outside quotes, less the header.</summary>
    internal static long Count(Stream stream, RecordFormat format, RecordReaderOptions? options, CancellationToken cancellationToken)
    {
        var csv = format is RecordFormat.Csv or RecordFormat.Tsv;
        var buffer = new byte[1 << 16];
        long records = 0;
        var inQuotes = false;
        var hasContent = false;
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < n; i++)
            {
                var b = buffer[i];
                if (csv && b == (byte)'"') inQuotes = !inQuotes;
                if (b == (byte)'\n' && !inQuotes)
                {
                    if (hasContent) records++;
                    hasContent = false;
                }
                else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') || inQuotes) hasContent = true;
            }
        }
        if (hasContent) records++;
        return csv ? Math.Max(0, records - 1) : records;
    }

    /// <summary>
    /// Byte length of the durable prefix of a JSONL/CSV file: everything up to and including the last record terminator
    /// ('\n' outside quotes). Bytes after it are a torn record from an interrupted write.
    /// </summary>
    internal static long CompletePrefixLength(Stream stream, RecordFormat format)
    {
        var csv = format is RecordFormat.Csv or RecordFormat.Tsv;
        var buffer = new byte[1 << 16];
        long offset = 0, lastEnd = 0;
        var inQuotes = false;
        stream.Position = 0;
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                var b = buffer[i];
                if (csv && b == (byte)'"') inQuotes = !inQuotes;
                else if (b == (byte)'\n' && !inQuotes) lastEnd = offset + i + 1;
            }
            offset += n;
        }
        return lastEnd;
    }
}
