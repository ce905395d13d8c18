using System.Security.Cryptography;
using System.Text;
using AlignedGen.Data;

namespace AlignedGen.Jobs;

/// <summary>
/// Compares an input row with the row a job already wrote for it, and fingerprints the input rows a job has done, so an
/// input row edited after it was processed is found on resume. Both look at every column except the job's output columns,
/// by canonical text (null, missing and "" agree, as they do once written to CSV).
/// </summary>
internal sealed class RowContent
{
    private readonly HashSet<string> _outputColumns;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly StringBuilder _text = new();

    internal RowContent(IEnumerable<string> outputColumns)
    {
        _outputColumns = new HashSet<string>(outputColumns, StringComparer.Ordinal);
    }

    /// <summary>Input rows added to the fingerprint so far.</summary>
    internal long Rows { get; private set; }

    /// <summary>Adds an input row to the fingerprint (in order: the fingerprint depends on it).</summary>
    internal void Add(DataRow input)
    {
        _text.Clear();
        foreach (var (name, value) in input)
        {
            if (_outputColumns.Contains(name)) continue;
            var text = DataValues.ToText(value);
            if (text.Length == 0) continue;
            _text.Append(name.Length).Append(':').Append(name).Append(text.Length).Append(':').Append(text);
        }
        _text.Append('\n');
        _hash.AppendData(Encoding.UTF8.GetBytes(_text.ToString()));
        Rows++;
    }

    /// <summary>The fingerprint of the rows added so far ("sha256:…"); adding more rows afterwards continues it.</summary>
    internal string Fingerprint() => "sha256:" + Convert.ToHexString(_hash.GetCurrentHash()).ToLowerInvariant();

    /// <summary>How <paramref name="done"/> (a row the job wrote) differs from <paramref name="input"/> outside the output columns, or null when it does not.</summary>
    internal string? FirstDifference(DataRow input, DataRow done)
    {
        foreach (var name in input.ColumnNames.Concat(done.ColumnNames))
        {
            if (_outputColumns.Contains(name)) continue;
            var now = input.GetText(name) ?? "";
            var was = done.GetText(name) ?? "";
            if (!string.Equals(now, was, StringComparison.Ordinal))
                return $"column '{name}' was {Quote(was)} and is now {Quote(now)}";
        }
        return null;
    }

    private static string Quote(string text) => text.Length == 0 ? "empty" : "'" + (text.Length <= 60 ? text : text[..60] + "…") + "'";
}
