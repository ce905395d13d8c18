using System.Security.Cryptography;
using System.Text;
using AlignedGen.Models;

namespace AlignedGen.ML;

/// <summary>
/// A SHA-256 over a model folder's files (relative path and bytes, in ordinal path order, sub-folders included), so a
/// saved transformer can tell when a model changed. Hidden files (".name") and documentation (*.md, *.txt named README/LICENSE)
/// are left out.
/// </summary>
public static class ModelFolderFingerprint
{
    /// <summary>The fingerprint (lower-case hex) of <paramref name="folder"/>; throws <see cref="ModelFolderException"/> when it is missing or empty.</summary>
    public static string Compute(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var root = Path.GetFullPath(folder);
        if (!Directory.Exists(root))
            throw new ModelFolderException(root, "the model folder does not exist.", "pass the folder that holds the model files.");
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Where(Counts)
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToArray();
        if (files.Length == 0)
            throw new ModelFolderException(root, "the model folder has no files.", "pass the folder that holds the model files.");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        foreach (var relative in files)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(relative + "\n"));
            using var stream = new FileStream(Path.Combine(root, relative), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            hash.AppendData(BitConverter.GetBytes(stream.Length));
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0) hash.AppendData(buffer, 0, read);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static bool Counts(string relative)
    {
        var parts = relative.Split('/');
        if (parts.Any(p => p.StartsWith('.'))) return false;
        var name = parts[^1];
        if (name.EndsWith(".md", StringComparison.OrdinalIgnoreCase)) return false;
        return !name.StartsWith("README", StringComparison.OrdinalIgnoreCase) && !name.StartsWith("LICENSE", StringComparison.OrdinalIgnoreCase);
    }
}
