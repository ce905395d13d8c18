using System.Security.Cryptography;

namespace AlignedGen.Tests.ModelBuilding;

/// <summary>SHA-256 of every file in a folder, keyed by file name.</summary>
internal static class FolderHashes
{
    public static SortedDictionary<string, string> Of(string folder) =>
        new(Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f)!, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))), StringComparer.Ordinal);
}
