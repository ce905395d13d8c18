using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace AlignedGen.FakeHub;

/// <summary>
/// A local stand-in for the Hugging Face Hub on 127.0.0.1 (HttpListener), implementing what a model download uses:
/// <list type="bullet">
/// <item>GET api/models/{org}/{name}/revision/{revision}[?blobs=true]: id, sha and siblings (with size, blobId and lfs
/// {sha256, size, pointerSize} when blobs=true); 404 RepoNotFound / RevisionNotFound with X-Error-Code.</item>
/// <item>GET and HEAD {org}/{name}/resolve/{revision}/{path}: a regular file directly (ETag = git blob id); an LFS file as a
/// 302 to http://localhost:{port}/cdn/{sha256} (another host name, so clients must drop the token) with X-Linked-Etag and
/// X-Linked-Size; X-Repo-Commit on both; Range requests answered 206 with Content-Range.</item>
/// <item>Gated repositories: 401 without a token, 403 with the wrong one (X-Error-Code GatedRepo).</item>
/// </list>
/// Every request is logged (<see cref="Requests"/>), and faults can be injected: a connection dropped after N bytes, the
/// Range header ignored, a corrupted body, failing answers, listings without blob metadata.
/// </summary>
public sealed class FakeHubServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, FakeHubRepository> _repositories = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeHubRequest> _requests = new();
    private readonly ConcurrentDictionary<string, (long Bytes, int Times)> _drops = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _corrupt = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _stalls = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private int _failures;
    private int _failureStatus = 500;

    /// <summary>Starts a server on a free port of 127.0.0.1.</summary>
    public FakeHubServer()
    {
        for (int attempt = 0; ; attempt++)
        {
            var port = FreePort();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add($"http://localhost:{port}/");
            try
            {
                _listener.Start();
                Port = port;
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // another process took the port between the probe and the start
            }
        }
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The address to use as HF_ENDPOINT.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Every request received so far, in arrival order.</summary>
    public IReadOnlyList<FakeHubRequest> Requests => _requests.ToArray();

    /// <summary>Listings leave out size, blobId and lfs (clients must ask with HEAD).</summary>
    public bool OmitBlobMetadata { get; set; }

    /// <summary>File transfers ignore the Range header and answer 200 with the whole file.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>Adds (or returns) the repository "org/name".</summary>
    public FakeHubRepository AddRepository(string id) => _repositories.GetOrAdd(id, i => new FakeHubRepository(i));

    /// <summary>Forgets the request log.</summary>
    public void ClearRequests() => _requests.Clear();

    /// <summary>The next <paramref name="times"/> transfers of <paramref name="path"/> (in any repository) close the connection after <paramref name="bytes"/> bytes of the body.</summary>
    public void DropConnectionAfter(string path, long bytes, int times = 1) => _drops[path] = (bytes, times);

    /// <summary>The next transfer of <paramref name="path"/> sends <paramref name="bytes"/> bytes of the body, then stalls until the client goes away (for killing a client mid-download).</summary>
    public void StallAfter(string path, long bytes) => _stalls[path] = bytes;

    /// <summary>Transfers of <paramref name="path"/> flip one byte of the body.</summary>
    public void Corrupt(string path) => _corrupt[path] = true;

    /// <summary>The next <paramref name="count"/> requests of any kind are answered with <paramref name="status"/>.</summary>
    public void FailNextRequests(int count, int status = 500)
    {
        _failureStatus = status;
        Interlocked.Exchange(ref _failures, count);
    }

    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _listener.Stop();
            _listener.Close();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                continue;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        _requests.Enqueue(new FakeHubRequest(request.HttpMethod, request.Url!.Host, request.Url.AbsolutePath, request.Url.Query,
            request.Headers["Range"], request.Headers["Authorization"]));
        try
        {
            if (Interlocked.Decrement(ref _failures) >= 0)
            {
                Finish(response, _failureStatus, "{\"error\":\"injected failure\"}");
                return;
            }
            Interlocked.Exchange(ref _failures, 0);
            var path = Uri.UnescapeDataString(request.Url.AbsolutePath).TrimStart('/');
            if (path.StartsWith("api/models/", StringComparison.Ordinal))
                ServeListing(request, response, path["api/models/".Length..]);
            else if (path.StartsWith("cdn/", StringComparison.Ordinal))
                await ServeCdnAsync(request, response, path["cdn/".Length..]).ConfigureAwait(false);
            else
                await ServeResolveAsync(request, response, request.Url.AbsolutePath.TrimStart('/')).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // the client went away
        }
    }

    private void ServeListing(HttpListenerRequest request, HttpListenerResponse response, string rest)
    {
        // {org}/{name}/revision/{revision}
        var parts = rest.Split('/', 4);
        if (parts.Length < 4 || parts[2] != "revision")
        {
            Finish(response, 404, "{\"error\":\"not an endpoint of this fake Hub\"}");
            return;
        }
        var repo = Authorize(request, response, $"{parts[0]}/{parts[1]}");
        if (repo is null) return;
        if (!RevisionMatches(repo, parts[3]))
        {
            Fail(response, 404, "RevisionNotFound", $"Invalid rev id: {parts[3]}");
            return;
        }
        var blobs = !OmitBlobMetadata && request.QueryString["blobs"] == "true";
        var siblings = repo.Files.Values.OrderBy(f => f.Path, StringComparer.Ordinal).Select(f => blobs
            ? (object)new
            {
                rfilename = f.Path,
                size = f.IsLfs ? Encoding.UTF8.GetByteCount(f.PointerText) : f.Length,
                blobId = f.GitOid,
                lfs = f.IsLfs ? new { sha256 = f.Sha256, size = f.Length, pointerSize = Encoding.UTF8.GetByteCount(f.PointerText) } : null,
            }
            : new { rfilename = f.Path });
        var json = JsonSerializer.Serialize(new { _id = "fake", id = repo.Id, modelId = repo.Id, sha = repo.Commit, @private = false, gated = repo.GatedToken is not null, siblings },
            new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
        Finish(response, 200, json);
    }

    private async Task ServeResolveAsync(HttpListenerRequest request, HttpListenerResponse response, string rawPath)
    {
        // {org}/{name}/resolve/{revision}/{path...}
        var parts = rawPath.Split('/', 5);
        if (parts.Length < 5 || parts[2] != "resolve")
        {
            Finish(response, 404, "{\"error\":\"not an endpoint of this fake Hub\"}");
            return;
        }
        var repo = Authorize(request, response, $"{Uri.UnescapeDataString(parts[0])}/{Uri.UnescapeDataString(parts[1])}");
        if (repo is null) return;
        var revision = Uri.UnescapeDataString(parts[3]);
        if (!RevisionMatches(repo, revision))
        {
            Fail(response, 404, "RevisionNotFound", $"Invalid rev id: {revision}");
            return;
        }
        var file = repo.Find(string.Join('/', parts[4].Split('/').Select(Uri.UnescapeDataString)));
        response.Headers["X-Repo-Commit"] = repo.Commit;
        if (file is null)
        {
            Fail(response, 404, "EntryNotFound", "Entry not found");
            return;
        }
        if (file.IsLfs)
        {
            response.Headers["ETag"] = $"\"{file.GitOid}\"";
            response.Headers["X-Linked-Etag"] = $"\"{file.Sha256}\"";
            response.Headers["X-Linked-Size"] = file.Length.ToString();
            response.Headers["Location"] = $"http://localhost:{Port}/cdn/{file.Sha256}?X-Amz-Signature=fake";
            Finish(response, 302, "");
            return;
        }
        response.Headers["ETag"] = $"\"{file.GitOid}\"";
        await SendFileAsync(request, response, file).ConfigureAwait(false);
    }

    private async Task ServeCdnAsync(HttpListenerRequest request, HttpListenerResponse response, string sha256)
    {
        if (request.Headers["Authorization"] is not null)
        {
            Finish(response, 400, "{\"error\":\"the CDN refuses an Authorization header (signed address)\"}");
            return;
        }
        var file = _repositories.Values.SelectMany(r => r.Files.Values).FirstOrDefault(f => f.Sha256 == sha256);
        if (file is null)
        {
            Finish(response, 404, "");
            return;
        }
        response.Headers["ETag"] = $"\"{file.Sha256}\"";
        await SendFileAsync(request, response, file).ConfigureAwait(false);
    }

    private async Task SendFileAsync(HttpListenerRequest request, HttpListenerResponse response, FakeHubFile file)
    {
        long start = 0;
        var range = request.Headers["Range"];
        if (range is not null && !IgnoreRange && range.StartsWith("bytes=", StringComparison.Ordinal) && long.TryParse(range[6..].Split('-')[0], out var from))
        {
            if (from >= file.Length)
            {
                response.Headers["Content-Range"] = $"bytes */{file.Length}";
                Finish(response, 416, "");
                return;
            }
            start = from;
            response.StatusCode = 206;
            response.Headers["Content-Range"] = $"bytes {start}-{file.Length - 1}/{file.Length}";
        }
        else
        {
            response.StatusCode = 200;
        }
        response.Headers["Accept-Ranges"] = "bytes";
        response.ContentLength64 = file.Length - start;
        if (request.HttpMethod == "HEAD")
        {
            response.Close();
            return;
        }
        long dropAfter = long.MaxValue;
        if (_drops.TryGetValue(file.Path, out var drop) && drop.Times > 0)
        {
            _drops[file.Path] = (drop.Bytes, drop.Times - 1);
            dropAfter = drop.Bytes;
        }
        var stallAfter = _stalls.TryRemove(file.Path, out var stall) ? stall : long.MaxValue;
        var corrupt = _corrupt.ContainsKey(file.Path);
        await using var stream = file.Open();
        stream.Seek(start, SeekOrigin.Begin);
        var buffer = new byte[64 * 1024];
        long sent = 0;
        int n;
        while ((n = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            if (corrupt && start + sent == 0) buffer[0] ^= 0xFF;
            if (sent + n > stallAfter)
            {
                await response.OutputStream.WriteAsync(buffer.AsMemory(0, (int)(stallAfter - sent))).ConfigureAwait(false);
                await response.OutputStream.FlushAsync().ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
                response.Abort();
                return;
            }
            if (sent + n > dropAfter)
            {
                await response.OutputStream.WriteAsync(buffer.AsMemory(0, (int)(dropAfter - sent))).ConfigureAwait(false);
                await response.OutputStream.FlushAsync().ConfigureAwait(false);
                response.Abort(); // the connection closes mid-body
                return;
            }
            await response.OutputStream.WriteAsync(buffer.AsMemory(0, n)).ConfigureAwait(false);
            sent += n;
        }
        response.Close();
    }

    private FakeHubRepository? Authorize(HttpListenerRequest request, HttpListenerResponse response, string id)
    {
        if (!_repositories.TryGetValue(id, out var repo))
        {
            Fail(response, 404, "RepoNotFound", "Repository not found");
            return null;
        }
        if (repo.GatedToken is { } token)
        {
            var sent = request.Headers["Authorization"];
            if (sent is null)
            {
                Fail(response, 401, "GatedRepo", $"Access to model {id} is restricted. You must have access to it and be authenticated to access it. Please log in.");
                return null;
            }
            if (sent != $"Bearer {token}")
            {
                Fail(response, 403, "GatedRepo", $"Access to model {id} is restricted and you are not in the authorized list. Visit https://huggingface.co/{id} to ask for access.");
                return null;
            }
        }
        return repo;
    }

    private static bool RevisionMatches(FakeHubRepository repo, string revision) => revision == "main" || revision == repo.Commit;

    private static void Fail(HttpListenerResponse response, int status, string code, string message)
    {
        response.Headers["X-Error-Code"] = code;
        response.Headers["X-Error-Message"] = message;
        Finish(response, status, JsonSerializer.Serialize(new { error = message }));
    }

    private static void Finish(HttpListenerResponse response, int status, string body)
    {
        response.StatusCode = status;
        var bytes = Encoding.UTF8.GetBytes(body);
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        if (bytes.Length > 0) response.OutputStream.Write(bytes);
        response.Close();
    }

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}

/// <summary>One request the fake Hub received.</summary>
/// <param name="Method">GET or HEAD.</param>
/// <param name="Host">"127.0.0.1" for the Hub, "localhost" for the CDN.</param>
/// <param name="Path">The URL path (escaped).</param>
/// <param name="Query">The query string, with its '?'.</param>
/// <param name="Range">The Range header, when sent.</param>
/// <param name="Authorization">The Authorization header, when sent.</param>
public sealed record FakeHubRequest(string Method, string Host, string Path, string Query, string? Range, string? Authorization)
{
    /// <summary>A file transfer (a GET of resolve/… or of the CDN).</summary>
    public bool IsTransfer => Method == "GET" && (Path.Contains("/resolve/", StringComparison.Ordinal) || Path.StartsWith("/cdn/", StringComparison.Ordinal));
}
