using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace AlignedGen.Hub;

/// <summary>
/// The Hub's HTTP endpoints this library uses, with huggingface_hub's conventions: the repository listing
/// (api/models/{repo}/revision/{revision}?blobs=true), file metadata (HEAD resolve/{commit}/{file}: X-Repo-Commit,
/// X-Linked-Etag / ETag, X-Linked-Size / Content-Length) and file transfers (GET resolve/..., Range for resumes).
/// Redirects are followed by hand: a relative one (a renamed repository) keeps the token, one to another host (the CDN
/// holding LFS files, whose address is signed) drops it. Failed answers become <see cref="HubException"/>s.
/// </summary>
internal sealed class HubApi : IDisposable
{
    private const int MaxRedirects = 10;
    private static readonly string UserAgent = $"AlignedGen/{typeof(HubApi).Assembly.GetName().Version?.ToString(3) ?? "0"}";

    private readonly HttpClient _http;
    private readonly HubOptions _options;

    public HubApi(HubOptions options)
    {
        _options = options;
        _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None })
        {
            Timeout = Timeout.InfiniteTimeSpan, // per request (headers) and per read, see SendAsync and the blob transfer
        };
    }

    public HubOptions Options => _options;

    /// <summary>The listing of <paramref name="reference"/>'s repository at its revision, with blob metadata.</summary>
    public async Task<HubRepositoryInfo> GetRepositoryAsync(HubModelReference reference, CancellationToken cancellationToken)
    {
        var url = $"{_options.Endpoint}/api/models/{reference.RepositoryId}/revision/{Uri.EscapeDataString(reference.EffectiveRevision)}?blobs=true";
        using var response = await SendWithRetriesAsync(HttpMethod.Get, url, reference.ToString(), offset: 0, cancellationToken).ConfigureAwait(false);
        var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return ParseRepository(json, reference);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new HubException(HubErrorKind.Unreachable, reference.ToString(), $"{_options.Endpoint} answered the model listing with something that is not a Hub listing ({e.Message}).",
                "check HF_ENDPOINT: it must be a Hugging Face Hub or a mirror that serves its API.", (int)response.StatusCode, e);
        }
    }

    /// <summary>Size and ETag of one file from a HEAD request, for listings without blob metadata.</summary>
    public async Task<HubFileEntry> GetFileMetadataAsync(HubModelReference reference, string commit, string path, CancellationToken cancellationToken)
    {
        using var response = await SendWithRetriesAsync(HttpMethod.Head, ResolveUrl(reference, commit, path), $"{reference} file {path}", 0, cancellationToken,
            followAbsoluteRedirects: false).ConfigureAwait(false);
        var etag = NormalizeEtag(Header(response, "X-Linked-Etag") ?? response.Headers.ETag?.Tag);
        var size = long.TryParse(Header(response, "X-Linked-Size"), out var linked) ? linked
            : (int)response.StatusCode / 100 == 3 ? (long?)null : response.Content.Headers.ContentLength;
        if (etag is null || size is null)
            throw new HubException(HubErrorKind.Unreachable, reference.ToString(), $"the Hub sent no ETag or size for {path}, so the download could not be verified.",
                "check HF_ENDPOINT and any proxy between you and the Hub (they must pass ETag, X-Linked-Etag and X-Linked-Size through).");
        return new HubFileEntry(path, size, etag);
    }

    /// <summary>
    /// Opens the transfer of <paramref name="path"/> at <paramref name="commit"/> from byte <paramref name="offset"/>
    /// (a Range request when above 0). The answer is 200 (whole file) or 206 (from the offset); the caller disposes it.
    /// </summary>
    public Task<HttpResponseMessage> OpenFileAsync(HubModelReference reference, string commit, string path, long offset, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, ResolveUrl(reference, commit, path), $"{reference} file {path}", offset, cancellationToken, followAbsoluteRedirects: true);

    /// <summary>A cancellation token that fires after the request timeout, for one read of a transfer.</summary>
    public CancellationTokenSource ReadTimeout(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        source.CancelAfter(_options.RequestTimeout);
        return source;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Whether <paramref name="e"/> is a network failure or timeout worth a retry (not the caller's cancellation).</summary>
    public static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    public static string? NormalizeEtag(string? etag) =>
        etag is null ? null : (etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag).Trim('"');

    /// <summary>Waits before retry <paramref name="attempt"/> (1-based): 0.25 s, 0.5 s, 1 s, ... at most 4 s.</summary>
    public static Task BackoffAsync(int attempt, CancellationToken cancellationToken) =>
        Task.Delay(TimeSpan.FromMilliseconds(Math.Min(4000, 250 * (1 << Math.Min(attempt - 1, 4)))), cancellationToken);

    private string ResolveUrl(HubModelReference reference, string commit, string path) =>
        $"{_options.Endpoint}/{reference.RepositoryId}/resolve/{Uri.EscapeDataString(commit)}/{string.Join('/', path.Split('/').Select(Uri.EscapeDataString))}";

    private async Task<HttpResponseMessage> SendWithRetriesAsync(HttpMethod method, string url, string what, long offset, CancellationToken cancellationToken,
        bool followAbsoluteRedirects = true)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return await SendAsync(method, url, what, offset, cancellationToken, followAbsoluteRedirects).ConfigureAwait(false);
            }
            catch (HubException e) when (e.Kind == HubErrorKind.Unreachable && attempt < _options.MaxRetries && e.StatusCode is null or 429 or >= 500)
            {
                await BackoffAsync(attempt + 1, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string what, long offset, CancellationToken cancellationToken, bool followAbsoluteRedirects)
    {
        var address = new Uri(url);
        var sendToken = _options.Token is not null;
        for (int redirects = 0; ; redirects++)
        {
            using var request = new HttpRequestMessage(method, address);
            request.Headers.UserAgent.ParseAdd(UserAgent);
            request.Headers.AcceptEncoding.ParseAdd("identity"); // sizes and hashes are of the raw file
            if (sendToken) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.Token);
            if (offset > 0) request.Headers.Range = new RangeHeaderValue(offset, null);
            HttpResponseMessage response;
            using (var timeout = ReadTimeout(cancellationToken))
            {
                try
                {
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (IsTransient(e, cancellationToken))
                {
                    throw new HubException(HubErrorKind.Unreachable, what,
                        e is OperationCanceledException ? $"{_options.Endpoint} did not answer within {_options.RequestTimeout.TotalSeconds:0.#} s." : $"{_options.Endpoint} cannot be reached ({e.Message}).",
                        "check the network and HF_ENDPOINT; to use only the models already in the cache, set HF_HUB_OFFLINE=1.", null, e);
                }
            }
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                var target = location.IsAbsoluteUri ? location : new Uri(address, location);
                var sameHost = Uri.Compare(target, address, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;
                if (!followAbsoluteRedirects && !sameHost) return response; // HEAD: the headers of the first answer are the metadata
                response.Dispose();
                if (redirects >= MaxRedirects)
                    throw new HubException(HubErrorKind.Unreachable, what, $"more than {MaxRedirects} redirects from {url}.", "check HF_ENDPOINT and any proxy in between.");
                sendToken &= sameHost; // a signed CDN address must not receive the Hub token
                address = target;
                continue;
            }
            if (response.IsSuccessStatusCode) return response;
            using (response)
                throw await FailureAsync(response, what, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<HubException> FailureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var code = Header(response, "X-Error-Code");
        var message = Header(response, "X-Error-Message");
        if (message is null && response.Content.Headers.ContentLength is null or < 4096)
        {
            try
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String) message = error.GetString();
            }
            catch (Exception e) when (e is JsonException or HttpRequestException or IOException)
            {
                // no JSON error body: the status says enough
            }
        }
        var detail = message is null ? $"HTTP {status}" : $"HTTP {status}: {message}";
        const string tokenHelp = "create a read token at https://huggingface.co/settings/tokens and set HF_TOKEN (bash: export HF_TOKEN=hf_...; PowerShell: $env:HF_TOKEN = 'hf_...'), or log in with `hf auth login`";
        var hasToken = _options.Token is not null;
        return (status, code) switch
        {
            (_, "GatedRepo") or (403, _) => new HubException(HubErrorKind.AccessDenied, what,
                $"the repository is gated and {(hasToken ? "the token given has not been granted access" : "no token was sent")} ({detail}).",
                (hasToken ? "accept the model's conditions on its Hub page with the account the token belongs to, then retry" : $"accept the model's conditions on its Hub page, then {tokenHelp}") + ".", status),
            (401, "RepoNotFound") when !hasToken => new HubException(HubErrorKind.RepositoryNotFound, what,
                $"there is no such model repository on {_options.Endpoint}, or it is private and no token was sent ({detail}).",
                $"check the id (org/name, as in the model page's address); if the repository is private, {tokenHelp}.", status),
            (401, _) => new HubException(HubErrorKind.AccessDenied, what,
                hasToken ? $"the Hub refused the token ({detail}): it is invalid, expired, or cannot read this repository."
                    : $"the repository is private or gated, or does not exist, and no token was sent ({detail}).",
                hasToken ? "check HF_TOKEN (a read token from https://huggingface.co/settings/tokens) and the repository id."
                    : $"check the repository id; if it is private or gated, {tokenHelp}.", status),
            (_, "RevisionNotFound") => new HubException(HubErrorKind.RevisionNotFound, what, $"the revision does not exist in the repository ({detail}).",
                "give an existing branch, tag or commit after '@' (or leave it out for main).", status),
            (_, "EntryNotFound") => new HubException(HubErrorKind.FileNotFound, what, $"the file is not in the repository at this commit ({detail}).",
                "retry: the repository may have changed while downloading; pin a commit with @<commit> for repeatable downloads.", status),
            (404, _) => new HubException(HubErrorKind.RepositoryNotFound, what, $"there is no such model repository on {_options.Endpoint} ({detail}).",
                "check the id (org/name, as in the model page's address); a private repository also needs HF_TOKEN.", status),
            _ => new HubException(HubErrorKind.Unreachable, what, $"{_options.Endpoint} answered {detail}.",
                status == 429 ? "wait a little and retry (the Hub limits request rates; a token raises the limit)." : "retry later; models already in the cache load with HF_HUB_OFFLINE=1.", status),
        };
    }

    private static HubRepositoryInfo ParseRepository(string json, HubModelReference reference)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : reference.RepositoryId;
        var commit = root.GetProperty("sha").GetString() ?? throw new FormatException("the listing has no commit (sha)");
        if (!HubCache.IsCommitHash(commit)) throw new FormatException($"the listing's commit '{commit}' is not a 40-character hash");
        var files = new List<HubFileEntry>();
        if (root.TryGetProperty("siblings", out var siblings) && siblings.ValueKind == JsonValueKind.Array)
        {
            foreach (var sibling in siblings.EnumerateArray())
            {
                var path = sibling.GetProperty("rfilename").GetString() ?? throw new FormatException("a sibling has no rfilename");
                long? size = sibling.TryGetProperty("size", out var s) && s.TryGetInt64(out var sv) ? sv : null;
                string? etag = sibling.TryGetProperty("blobId", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
                if (sibling.TryGetProperty("lfs", out var lfs) && lfs.ValueKind == JsonValueKind.Object)
                {
                    etag = lfs.TryGetProperty("sha256", out var sha) && sha.ValueKind == JsonValueKind.String ? sha.GetString() : null;
                    size = lfs.TryGetProperty("size", out var ls) && ls.TryGetInt64(out var lsv) ? lsv : size;
                }
                files.Add(new HubFileEntry(path, size, etag));
            }
        }
        return new HubRepositoryInfo(id, commit, files);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()
        : response.Content.Headers.TryGetValues(name, out var content) ? content.FirstOrDefault() : null;
}
