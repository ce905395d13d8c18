using System.Security.Cryptography;
using System.Text;

namespace AlignedGen.FakeHub;

/// <summary>
/// One file of a fake repository, with the identities the Hub gives it: the git blob id (SHA-1 of "blob &lt;size&gt;\0" +
/// content, the ETag of a regular file) and, for an LFS file, the SHA-256 of the content (its X-Linked-Etag).
/// </summary>
public sealed class FakeHubFile
{
    private readonly byte[]? _content;
    private readonly string? _localFile;
    private readonly Lazy<(string GitOid, string Sha256)> _hashes;

    internal FakeHubFile(string path, byte[]? content, string? localFile, bool isLfs)
    {
        Path = path;
        _content = content;
        _localFile = localFile;
        IsLfs = isLfs;
        Length = content?.LongLength ?? new FileInfo(localFile!).Length;
        _hashes = new Lazy<(string, string)>(ComputeHashes);
    }

    public string Path { get; }

    public long Length { get; }

    /// <summary>Served through the LFS redirect with X-Linked-Etag = <see cref="Sha256"/>.</summary>
    public bool IsLfs { get; }

    /// <summary>The git blob id: the ETag of a regular file (and the blobId in listings).</summary>
    public string GitOid => IsLfs ? PointerOid : _hashes.Value.GitOid;

    /// <summary>SHA-256 of the content.</summary>
    public string Sha256 => _hashes.Value.Sha256;

    /// <summary>What the Hub reports as the file's ETag for downloads (and the cache names its blob by).</summary>
    public string ETag => IsLfs ? Sha256 : GitOid;

    /// <summary>The LFS pointer file git stores instead of an LFS file's content.</summary>
    public string PointerText => $"version https://git-lfs.github.com/spec/v1\noid sha256:{Sha256}\nsize {Length}\n";

    public Stream Open() => _content is not null ? new MemoryStream(_content, writable: false) : File.OpenRead(_localFile!);

    private string PointerOid => GitBlobId(Encoding.UTF8.GetBytes(PointerText));

    private (string, string) ComputeHashes()
    {
        using var stream = Open();
        using var sha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha1.AppendData(Encoding.ASCII.GetBytes($"blob {Length}\0"));
        var buffer = new byte[1 << 16];
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            sha1.AppendData(buffer, 0, n);
            sha256.AppendData(buffer, 0, n);
        }
        return (Convert.ToHexStringLower(sha1.GetHashAndReset()), Convert.ToHexStringLower(sha256.GetHashAndReset()));
    }

    private static string GitBlobId(byte[] content)
    {
        var header = Encoding.ASCII.GetBytes($"blob {content.Length}\0");
        return Convert.ToHexStringLower(SHA1.HashData(header.Concat(content).ToArray()));
    }
}
