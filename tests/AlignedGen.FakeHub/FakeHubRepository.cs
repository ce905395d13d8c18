using System.Security.Cryptography;
using System.Text;

namespace AlignedGen.FakeHub;

/// <summary>
/// A model repository the fake Hub serves: files at one commit on "main" (adding a file makes a new commit, as a push
/// would), optionally gated behind a token. Files of 64 kB or more, and graphs and weights of any size, are served as
/// LFS files (a redirect to the "CDN" with X-Linked-Etag / X-Linked-Size); the rest directly with their git blob id as ETag.
/// </summary>
public sealed class FakeHubRepository
{
    private const long LfsThreshold = 64 * 1024;
    private static readonly string[] LfsExtensions = { ".onnx", ".data", ".onnx_data", ".bin", ".safetensors", ".model" };
    private readonly SortedDictionary<string, FakeHubFile> _files = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private string? _commit;

    internal FakeHubRepository(string id) => Id = id;

    /// <summary>"org/name".</summary>
    public string Id { get; }

    /// <summary>When set, requests must carry "Authorization: Bearer &lt;this&gt;" (401 without a token, 403 with another one).</summary>
    public string? GatedToken { get; set; }

    /// <summary>The current commit of main: a hash of every path and content.</summary>
    public string Commit
    {
        get
        {
            lock (_gate)
            {
                if (_commit is not null) return _commit;
                var text = new StringBuilder(Id);
                foreach (var (path, file) in _files) text.Append('\n').Append(path).Append(' ').Append(file.GitOid);
                return _commit = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text.ToString())));
            }
        }
    }

    /// <summary>The files at the current commit, by path.</summary>
    public IReadOnlyDictionary<string, FakeHubFile> Files
    {
        get
        {
            lock (_gate) return new Dictionary<string, FakeHubFile>(_files);
        }
    }

    /// <summary>Adds (or replaces) a file with these bytes.</summary>
    public FakeHubRepository AddFile(string path, byte[] content) => Add(new FakeHubFile(path, content, null, IsLfs(path, content.Length)));

    /// <summary>Adds (or replaces) a file with this text (UTF-8).</summary>
    public FakeHubRepository AddFile(string path, string text) => AddFile(path, Encoding.UTF8.GetBytes(text));

    /// <summary>Adds a file served from a file on disk (read when requested).</summary>
    public FakeHubRepository AddLocalFile(string path, string localFile)
    {
        var length = new FileInfo(localFile).Length;
        return Add(new FakeHubFile(path, null, Path.GetFullPath(localFile), IsLfs(path, length)));
    }

    /// <summary>Adds every file of <paramref name="folder"/> (recursively) under <paramref name="prefix"/> ("" for the root).</summary>
    public FakeHubRepository AddFolder(string folder, string prefix = "")
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
            AddLocalFile(prefix.Length == 0 ? relative : prefix.TrimEnd('/') + "/" + relative, file);
        }
        return this;
    }

    /// <summary>Removes a file (a new commit).</summary>
    public FakeHubRepository RemoveFile(string path)
    {
        lock (_gate)
        {
            _files.Remove(path);
            _commit = null;
        }
        return this;
    }

    internal FakeHubFile? Find(string path)
    {
        lock (_gate) return _files.GetValueOrDefault(path);
    }

    private FakeHubRepository Add(FakeHubFile file)
    {
        lock (_gate)
        {
            _files[file.Path] = file;
            _commit = null;
        }
        return this;
    }

    private static bool IsLfs(string path, long length) =>
        length >= LfsThreshold || LfsExtensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));
}
