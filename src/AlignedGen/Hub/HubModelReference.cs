using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace AlignedGen.Hub;

/// <summary>
/// A model on the Hugging Face Hub: repository id, optional revision (branch, tag or commit) and optional subfolder, as
/// written <c>hf:org/name[@revision][/subfolder]</c>. Every surface (C#, cmdlets, CLI, ML.NET options) parses model
/// strings through <see cref="TryParse"/>, so they all read them the same way. A revision that itself holds "/" (such as
/// <c>refs/pr/1</c>) is written percent-encoded: <c>hf:org/name@refs%2Fpr%2F1</c>.
/// </summary>
public sealed partial record HubModelReference
{
    /// <summary>The prefix that marks a Hub reference in a model string.</summary>
    public const string Prefix = "hf:";

    /// <summary>The revision used when none is given.</summary>
    public const string DefaultRevision = "main";

    /// <summary>A reference to <paramref name="repositoryId"/> ("org/name") at <paramref name="revision"/> (default main), in <paramref name="subfolder"/>.</summary>
    public HubModelReference(string repositoryId, string? revision = null, string? subfolder = null)
    {
        RepositoryId = ValidateRepositoryId(repositoryId);
        if (revision is not null && (revision.Length == 0 || revision.Any(char.IsWhiteSpace)))
            throw new ArgumentException($"Revision '{revision}' is not a branch, tag or commit name; leave it out for '{DefaultRevision}'.", nameof(revision));
        Revision = revision;
        Subfolder = NormalizeSubfolder(subfolder);
    }

    /// <summary>"org/name".</summary>
    public string RepositoryId { get; }

    /// <summary>The branch, tag or commit asked for; null means <see cref="DefaultRevision"/>.</summary>
    public string? Revision { get; }

    /// <summary>The folder inside the repository that holds the model ("/"-separated), or null for the repository root.</summary>
    public string? Subfolder { get; }

    /// <summary>The revision to resolve: <see cref="Revision"/> or "main".</summary>
    public string EffectiveRevision => Revision ?? DefaultRevision;

    /// <summary>This reference with another subfolder (a chosen variant).</summary>
    public HubModelReference WithSubfolder(string? subfolder) => new(RepositoryId, Revision, subfolder);

    /// <summary>Parses <c>hf:org/name[@revision][/subfolder]</c>; throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static HubModelReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"'{text}' is not a Hub reference; write hf:org/name[@revision][/subfolder].", nameof(text));
        var parts = text[Prefix.Length..].Split('/');
        if (parts.Length < 2 || parts[0].Length == 0 || parts[1].Length == 0)
            throw new ArgumentException($"'{text}' names no repository; write hf:org/name[@revision][/subfolder], e.g. hf:microsoft/Phi-3-mini-4k-instruct-onnx.", nameof(text));
        var name = parts[1];
        string? revision = null;
        var at = name.IndexOf('@');
        if (at >= 0)
        {
            revision = Uri.UnescapeDataString(name[(at + 1)..]);
            name = name[..at];
            if (revision.Length == 0)
                throw new ArgumentException($"'{text}' has an empty revision after '@'; give a branch, tag or commit, or leave '@' out for main.", nameof(text));
        }
        var subfolder = parts.Length > 2 ? string.Join('/', parts.Skip(2)) : null;
        try
        {
            return new HubModelReference($"{parts[0]}/{name}", revision, string.IsNullOrEmpty(subfolder) ? null : subfolder);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"'{text}': {e.Message}", nameof(text), e);
        }
    }

    /// <summary>Parses a reference with or without its "hf:" prefix ("org/name[@revision][/subfolder]"), for APIs that only take Hub models.</summary>
    public static HubModelReference ParseLenient(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        return Parse(HasPrefix(text) ? text : Prefix + text);
    }

    /// <summary>True and the reference when <paramref name="text"/> starts with "hf:" and parses; false for anything else (a path).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out HubModelReference? reference)
    {
        reference = null;
        if (text is null || !text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return false;
        try
        {
            reference = Parse(text);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="text"/> starts with "hf:" (a Hub reference, well formed or not).</summary>
    public static bool HasPrefix(string? text) => text is not null && text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether <paramref name="text"/> reads like a bare Hub repository id ("org/name", two segments of letters, digits,
    /// '-', '_' or '.'), for "did you mean" hints when such a path does not exist on disk.
    /// </summary>
    public static bool LooksLikeRepositoryId(string? text) =>
        text is not null && BareRepositoryId().IsMatch(text) && !text.StartsWith('.') && TryValidate(text);

    /// <summary>The canonical string: <c>hf:org/name[@revision][/subfolder]</c>.</summary>
    public override string ToString()
    {
        var revision = Revision is null ? "" : "@" + Uri.EscapeDataString(Revision);
        var subfolder = Subfolder is null ? "" : "/" + Subfolder;
        return $"{Prefix}{RepositoryId}{revision}{subfolder}";
    }

    private static bool TryValidate(string repositoryId)
    {
        try
        {
            ValidateRepositoryId(repositoryId);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    // The Hub's own rule (huggingface_hub validate_repo_id): namespace/name of [\w\-.], at most 96 characters each,
    // no "--" or "..", not starting or ending with '-' or '.'.
    private static string ValidateRepositoryId(string repositoryId)
    {
        ArgumentNullException.ThrowIfNull(repositoryId);
        var parts = repositoryId.Split('/');
        if (parts.Length != 2)
            throw new ArgumentException($"Repository id '{repositoryId}' must be 'org/name' (two parts separated by one '/').", nameof(repositoryId));
        foreach (var part in parts)
        {
            if (!RepositoryIdPart().IsMatch(part) || part.Contains("--") || part.Contains(".."))
                throw new ArgumentException(
                    $"Repository id '{repositoryId}' is not valid: each part is 1 to 96 letters, digits, '-', '_' or '.', without '--' or '..', "
                    + "and does not start or end with '-' or '.'.", nameof(repositoryId));
        }
        return repositoryId;
    }

    private static string? NormalizeSubfolder(string? subfolder)
    {
        if (string.IsNullOrWhiteSpace(subfolder)) return null;
        var parts = subfolder.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Any(p => p is "." or ".."))
            throw new ArgumentException($"Subfolder '{subfolder}' must be a folder inside the repository, without '.' or '..' parts.", nameof(subfolder));
        return parts.Length == 0 ? null : string.Join('/', parts);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_](?:[\w\-.]{0,94}[A-Za-z0-9_])?$")]
    private static partial Regex RepositoryIdPart();

    [GeneratedRegex(@"^[\w\-.]+/[\w\-.]+$")]
    private static partial Regex BareRepositoryId();
}
