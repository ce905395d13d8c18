using System.Text.Json.Nodes;
using AlignedGen.Models;

namespace AlignedGen.ML.Persistence;

/// <summary>
/// Reads the model folders of one saved manifest: maps relocated folders, checks each against its saved fingerprint and
/// collects the fingerprints for the rebuilt transformer.
/// </summary>
internal sealed class ManifestFolders
{
    private readonly string _path;
    private readonly IReadOnlyDictionary<string, string>? _relocated;

    public ManifestFolders(string path, IReadOnlyDictionary<string, string>? relocated)
    {
        _path = path;
        _relocated = relocated;
    }

    /// <summary>The fingerprints checked so far.</summary>
    public FolderFingerprints Fingerprints { get; } = new();

    /// <summary>The saved file's path, for errors.</summary>
    public string Path => _path;

    /// <summary>{"folder", "fingerprint"} of a model folder, checked (<paramref name="role"/> names it in errors).</summary>
    public static JsonObject Write(string folder, FolderFingerprints fingerprints)
        => new() { ["folder"] = folder, ["fingerprint"] = fingerprints.Of(folder) ?? throw new InvalidOperationException($"No fingerprint was taken of {folder}.") };

    /// <summary>The folder <paramref name="node"/> records (relocated when mapped), after checking it exists and its fingerprint is unchanged.</summary>
    public string Read(JsonNode node, string role)
    {
        var saved = node["folder"]!.GetValue<string>();
        var expected = node["fingerprint"]!.GetValue<string>();
        var folder = _relocated is not null && _relocated.TryGetValue(saved, out var moved) ? System.IO.Path.GetFullPath(moved) : saved;
        if (!Directory.Exists(folder))
            throw new ModelFolderException(folder, $"the {role} folder recorded in '{_path}' is gone (moved or deleted).",
                $"put the model back at {folder}, or pass its new location: AlignedGenTransformerFile.Load(path, new Dictionary<string, string> {{ [\"{saved}\"] = \"NEW/PATH\" }}).");
        var actual = ModelFolderFingerprint.Compute(folder);
        if (!string.Equals(actual, expected, StringComparison.Ordinal))
            throw new ModelFolderException(folder, $"the {role} changed since '{_path}' was saved (fingerprint {expected[..12]}… saved, {actual[..12]}… now).",
                "restore the model files that were saved with the transformer, or fit the transform again on the new model and save it again.");
        Fingerprints.Add(folder, actual);
        return folder;
    }
}
