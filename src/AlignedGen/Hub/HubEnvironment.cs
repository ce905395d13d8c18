namespace AlignedGen.Hub;

/// <summary>
/// The environment variables huggingface_hub reads (its constants.py and utils/_auth.py), read the same way so the
/// cache and the token are shared with Python users.
/// </summary>
public static class HubEnvironment
{
    private static readonly string[] TrueValues = { "1", "ON", "YES", "TRUE" };

    /// <summary>HF_HUB_CACHE, else HUGGINGFACE_HUB_CACHE, else HF_HOME/hub, where HF_HOME defaults to $XDG_CACHE_HOME/huggingface or ~/.cache/huggingface.</summary>
    public static string DefaultCacheDirectory()
    {
        var cache = Variable("HF_HUB_CACHE") ?? Variable("HUGGINGFACE_HUB_CACHE");
        return ExpandPath(cache ?? Path.Combine(Home(), "hub"));
    }

    /// <summary>HF_HOME, else $XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface.</summary>
    public static string Home()
    {
        var home = Variable("HF_HOME");
        if (home is not null) return ExpandPath(home);
        var xdg = Variable("XDG_CACHE_HOME") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return ExpandPath(Path.Combine(xdg, "huggingface"));
    }

    /// <summary>HF_TOKEN, else HUGGING_FACE_HUB_TOKEN, else the file HF_TOKEN_PATH (default HF_HOME/token) that `hf auth login` writes; null when none.</summary>
    public static string? Token()
    {
        var token = Variable("HF_TOKEN") ?? Variable("HUGGING_FACE_HUB_TOKEN");
        if (token is not null) return token.Trim();
        var file = ExpandPath(Variable("HF_TOKEN_PATH") ?? Path.Combine(Home(), "token"));
        try
        {
            return File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } stored ? stored : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // an unreadable token file is treated as no token; a gated repository then says how to set HF_TOKEN
        }
    }

    /// <summary>HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE) is 1, ON, YES or TRUE.</summary>
    public static bool Offline() => IsTrue(Variable("HF_HUB_OFFLINE") ?? Variable("TRANSFORMERS_OFFLINE"));

    /// <summary>Expands "~" and environment variables in a path, as Python's expanduser / expandvars do.</summary>
    public static string ExpandPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        path = Environment.ExpandEnvironmentVariables(path);
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
            path = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..];
        // ExpandEnvironmentVariables reads %NAME%; Python's expandvars also reads $NAME and ${NAME}.
        return System.Text.RegularExpressions.Regex.Replace(path, @"\$(?:\{(\w+)\}|(\w+))", m =>
            Environment.GetEnvironmentVariable(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value) ?? m.Value);
    }

    private static bool IsTrue(string? value) => value is not null && TrueValues.Contains(value.Trim().ToUpperInvariant());

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
