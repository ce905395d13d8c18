using System.Security.Cryptography;
using System.Text;

namespace AlignedGen.Hub;

/// <summary>
/// Checks a file against the ETag the Hub reports for it: a 64-hex ETag is the LFS object's SHA-256 of the content; a
/// 40-hex ETag is the git blob id, SHA-1 of "blob &lt;size&gt;\0" followed by the content. Fed incrementally while the file
/// arrives (a resumed transfer first feeds the bytes already on disk).
/// </summary>
internal sealed class ContentHash : IDisposable
{
    private readonly IncrementalHash? _hash;

    public ContentHash(string etag, long size)
    {
        ETag = etag;
        if (IsHex(etag, 64))
        {
            _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Algorithm = "SHA-256";
        }
        else if (IsHex(etag, 40))
        {
            _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
            _hash.AppendData(Encoding.ASCII.GetBytes($"blob {size}\0"));
            Algorithm = "git blob id";
        }
    }

    public string ETag { get; }

    /// <summary>"SHA-256", "git blob id", or null when the ETag has neither form (then only the size is checked).</summary>
    public string? Algorithm { get; }

    public void Append(ReadOnlySpan<byte> data) => _hash?.AppendData(data);

    /// <summary>The hash in the ETag's form, or null when the ETag cannot be checked.</summary>
    public string? Finish() => _hash is null ? null : Convert.ToHexStringLower(_hash.GetHashAndReset());

    public void Dispose() => _hash?.Dispose();

    private static bool IsHex(string value, int length) => value.Length == length && value.All(char.IsAsciiHexDigitLower);
}
