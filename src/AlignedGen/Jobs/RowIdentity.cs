using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using AlignedGen.Data;

namespace AlignedGen.Jobs;

/// <summary>
/// Identifies rows across runs and formats: the id column's text, or a SHA-256 of the row's content (columns sorted by name,
/// canonical text, empty values and the job's output columns left out, so a JSONL row and its CSV copy hash alike).
/// Also assigns rows to shards.
/// </summary>
internal sealed class RowIdentity
{
    private readonly string? _idColumn;
    private readonly bool _strict;
    private readonly HashSet<string> _excluded;
    private readonly ShardSpec _shard;
    private readonly ShardAssignment _assignment;

    internal RowIdentity(DatasetJobSpec spec)
    {
        _idColumn = spec.IdColumn;
        _strict = spec.Strict;
        _excluded = new HashSet<string>(spec.OutputColumns, StringComparer.Ordinal);
        _shard = spec.Shard;
        _assignment = spec.ShardAssignment;
    }

    /// <summary>The row's identity key; null when the id column is required (strict) but missing or null.</summary>
    internal string? Key(DataRow row)
    {
        if (_idColumn is not null)
        {
            var id = row.TryGetValue(_idColumn, out var v) && v is not null ? DataValues.ToText(v) : null;
            if (id is not null) return "id:" + id;
            if (_strict) return null;
        }
        return "sha256:" + ContentHash(row);
    }

    /// <summary>True when the record (0-based index among all input records) belongs to this run's shard.</summary>
    internal bool InShard(long recordIndex, string key)
    {
        if (_shard.Count == 1) return true;
        var shard = _assignment == ShardAssignment.RowIndex ? recordIndex % _shard.Count : (long)(StableHash(key) % (ulong)_shard.Count);
        return shard == _shard.Index;
    }

    /// <summary>The shard (0-based) a record belongs to among <paramref name="count"/> shards.</summary>
    internal int ShardOf(long recordIndex, string key, int count) =>
        _assignment == ShardAssignment.RowIndex ? (int)(recordIndex % count) : (int)(StableHash(key) % (ulong)count);

    /// <summary>A key for messages: "id 'x'", "content 1a2b…" or "a row without id".</summary>
    internal static string Describe(string? key) => key switch
    {
        null => "a row without id",
        _ when key.StartsWith("id:", StringComparison.Ordinal) => $"id '{key[3..]}'",
        _ => $"content {key}",
    };

    private string ContentHash(DataRow row)
    {
        var parts = row.Where(kv => !_excluded.Contains(kv.Key))
            .Select(kv => (kv.Key, Text: DataValues.ToText(kv.Value)))
            .Where(p => p.Text.Length > 0)
            .OrderBy(p => p.Key, StringComparer.Ordinal);
        var sb = new StringBuilder();
        foreach (var (name, text) in parts)
            sb.Append(name.Length).Append(':').Append(name).Append(text.Length).Append(':').Append(text);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())), 0, 16).ToLowerInvariant();
    }

    private static ulong StableHash(string key) =>
        BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
