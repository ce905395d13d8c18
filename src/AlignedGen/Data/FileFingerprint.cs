using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace AlignedGen.Data;

/// <summary>
/// Identifies a file's content for job manifests: its size and SHA-256. Files over <see cref="FullHashLimit"/> (multi-GB
/// model weights) are identified by size and a SHA-256 over 64 blocks of 64 KiB spread evenly through the file plus its
/// first and last MiB ("sampled-sha256"): any retrained or requantised model changes those, and resuming stays fast.
/// </summary>
public static class FileFingerprint
{
    /// <summary>Files up to this size are hashed whole: 256 MiB.</summary>
    public const long FullHashLimit = 256L << 20;

    private const int Blocks = 64;
    private const int BlockSize = 64 << 10;
    private const int EdgeSize = 1 << 20;

    /// <summary>{"size": n, "sha256": "…"} or {"size": n, "sampled_sha256": "…"}.</summary>
    public static JsonObject Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var size = stream.Length;
        if (size <= FullHashLimit)
            return new JsonObject { ["size"] = size, ["sha256"] = Convert.ToHexString(SHA256.HashData(stream)).ToLowerInvariant() };
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[EdgeSize];
        void Take(long offset, int count)
        {
            stream.Position = offset;
            stream.ReadExactly(buffer, 0, count);
            hash.AppendData(buffer, 0, count);
        }
        Take(0, EdgeSize);
        for (var i = 1; i <= Blocks; i++) Take(size / (Blocks + 1) * i, BlockSize);
        Take(size - EdgeSize, EdgeSize);
        return new JsonObject { ["size"] = size, ["sampled_sha256"] = Convert.ToHexString(hash.GetCurrentHash()).ToLowerInvariant() };
    }

    /// <summary>The fingerprints of every file directly in <paramref name="folder"/>, keyed by file name (sorted).</summary>
    public static JsonObject OfFolder(string folder)
    {
        var files = new JsonObject();
        foreach (var path in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            files[Path.GetFileName(path)] = Of(path);
        return files;
    }
}
