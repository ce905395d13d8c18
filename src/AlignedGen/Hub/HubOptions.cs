namespace AlignedGen.Hub;

/// <summary>
/// Where and how models come from the Hugging Face Hub. <see cref="FromEnvironment"/> reads the variables huggingface_hub
/// reads (HF_ENDPOINT, HF_TOKEN, HF_HOME / HF_HUB_CACHE, HF_HUB_OFFLINE), so a cache is shared with Python users.
/// Validated on creation.
/// </summary>
public sealed record HubOptions
{
    /// <summary>Default Hub address (HF_ENDPOINT overrides it in <see cref="FromEnvironment"/>).</summary>
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>Options with every value given; null picks the default (the environment's values come from <see cref="FromEnvironment"/>).</summary>
    public HubOptions(string? endpoint = null, string? token = null, string? cacheDirectory = null, bool offline = false,
        bool checkForUpdates = false, int maxRetries = AlignedGenDefaults.HubMaxRetries, TimeSpan? requestTimeout = null)
    {
        endpoint = string.IsNullOrWhiteSpace(endpoint) ? DefaultEndpoint : endpoint.Trim().TrimEnd('/');
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"Hub endpoint '{endpoint}' is not an http(s) address; use {DefaultEndpoint} or a mirror's address (HF_ENDPOINT).", nameof(endpoint));
        if (maxRetries < 0)
            throw new ArgumentOutOfRangeException(nameof(maxRetries), maxRetries, $"Retries must be 0 or more, got {maxRetries}.");
        var timeout = requestTimeout ?? TimeSpan.FromSeconds(AlignedGenDefaults.HubRequestTimeoutSeconds);
        if (timeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(requestTimeout), timeout, $"The request timeout must be positive, got {timeout}.");
        Endpoint = endpoint;
        Token = string.IsNullOrWhiteSpace(token) ? null : token.Trim();
        CacheDirectory = Path.GetFullPath(string.IsNullOrWhiteSpace(cacheDirectory) ? HubEnvironment.DefaultCacheDirectory() : HubEnvironment.ExpandPath(cacheDirectory));
        Offline = offline;
        CheckForUpdates = checkForUpdates;
        MaxRetries = maxRetries;
        RequestTimeout = timeout;
    }

    /// <summary>The Hub's address, without a trailing '/'.</summary>
    public string Endpoint { get; init; }

    /// <summary>The access token sent as "Authorization: Bearer" (needed for gated and private repositories), or null.</summary>
    public string? Token { get; init; }

    /// <summary>The Hub cache folder (huggingface_hub's HF_HUB_CACHE, by default HF_HOME/hub = ~/.cache/huggingface/hub).</summary>
    public string CacheDirectory { get; init; }

    /// <summary>Never contact the Hub; use what is cached (HF_HUB_OFFLINE=1).</summary>
    public bool Offline { get; init; }

    /// <summary>
    /// Ask the Hub which commit a branch or tag points to even when that revision is cached (false: a cached revision is
    /// used without any request; a commit hash never changes, so it never needs checking).
    /// </summary>
    public bool CheckForUpdates { get; init; }

    /// <summary>How often a failed request or an interrupted transfer is retried (resuming where it stopped).</summary>
    public int MaxRetries { get; init; }

    /// <summary>How long to wait for the Hub to answer a request (not the whole transfer).</summary>
    public TimeSpan RequestTimeout { get; init; }

    /// <summary>Options from the environment: HF_ENDPOINT, HF_TOKEN (else the token file huggingface-cli login wrote), HF_HUB_CACHE / HF_HOME, HF_HUB_OFFLINE.</summary>
    public static HubOptions FromEnvironment() => new(
        endpoint: Environment.GetEnvironmentVariable("HF_ENDPOINT"),
        token: HubEnvironment.Token(),
        cacheDirectory: HubEnvironment.DefaultCacheDirectory(),
        offline: HubEnvironment.Offline());
}
