using System.Text.Json;
using AlignedGen.Tokenization.Pipeline;

namespace AlignedGen.Tokenization;

/// <summary>
/// Reads BOS / EOS / PAD / UNK from a folder's tokenizer_config.json, special_tokens_map.json, config.json and
/// generation_config.json. Token strings win over numeric ids (real folders disagree; the tokenizer's own special
/// tokens are authoritative); EOS collects every stop id: the tokenizer's eos token first, then generation_config's
/// and config's <c>eos_token_id</c> (a number or a list, e.g. stories260K's [2, 1]).
/// </summary>
internal static class SpecialTokenConfigReader
{
    public static SpecialTokenIds Read(string folder, TextTokenizer tokenizer)
    {
        var tokenizerConfig = Load(folder, "tokenizer_config.json");
        var specialMap = Load(folder, "special_tokens_map.json");
        var config = Load(folder, "config.json");
        var generation = Load(folder, "generation_config.json");

        int? Token(string name) =>
            Resolve(tokenizer, TokenString(tokenizerConfig, name)) ?? Resolve(tokenizer, TokenString(specialMap, name));

        var bos = Token("bos_token") ?? FirstId(generation, "bos_token_id") ?? FirstId(config, "bos_token_id");
        var eos = new List<int>();
        void AddEos(IEnumerable<int> ids) { foreach (var id in ids) if (!eos.Contains(id)) eos.Add(id); }
        if (Token("eos_token") is int eosToken) AddEos([eosToken]);
        AddEos(Ids(generation, "eos_token_id"));
        AddEos(Ids(config, "eos_token_id"));
        if (eos.Count == 0 && tokenizer.ModelEosId is int modelEos) eos.Add(modelEos);
        var pad = Token("pad_token") ?? FirstId(generation, "pad_token_id") ?? FirstId(config, "pad_token_id");
        var unk = Token("unk_token") ?? Resolve(tokenizer, tokenizer.UnknownToken);
        if (tokenizerConfig is null && specialMap is null && config is null && generation is null) return FromTokenizerAlone(tokenizer);
        return new SpecialTokenIds(bos, eos, pad, unk);
    }

    /// <summary>Without config files: BOS from the post-processor's leading special token, UNK from the model.</summary>
    public static SpecialTokenIds FromTokenizerAlone(TextTokenizer tokenizer)
    {
        var ids = new List<int>();
        tokenizer.PostProcessor.Process(new List<int> { -1 }, null, ids, new List<int>());
        int? bos = ids.Count > 1 && ids[0] != -1 ? ids[0] : null;
        var eos = tokenizer.ModelEosId is int e ? new[] { e } : Array.Empty<int>();
        return new SpecialTokenIds(bos, eos, null, Resolve(tokenizer, tokenizer.UnknownToken));
    }

    private static int? Resolve(TextTokenizer tokenizer, string? token) => token is null ? null : tokenizer.TokenToId(token);

    private static JsonElement? Load(string folder, string name)
    {
        var path = Path.Combine(folder, name);
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true });
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
        }
        catch (JsonException e)
        {
            throw new ModelFolderException(path, $"the file is not valid JSON ({e.Message}).",
                "restore the file from the model's original repository or delete it.", e);
        }
    }

    private static string? TokenString(JsonElement? json, string name)
    {
        if (json is not { } obj || !obj.TryGetProperty(name, out var v)) return null;
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Object when v.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String => c.GetString(),
            _ => null,
        };
    }

    private static IEnumerable<int> Ids(JsonElement? json, string name)
    {
        if (json is not { } obj || !obj.TryGetProperty(name, out var v)) yield break;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var single) && single >= 0) yield return single;
        if (v.ValueKind != JsonValueKind.Array) yield break;
        foreach (var e in v.EnumerateArray())
            if (e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var id) && id >= 0) yield return id;
    }

    private static int? FirstId(JsonElement? json, string name)
    {
        foreach (var id in Ids(json, name)) return id;
        return null;
    }

    /// <summary>A boolean flag of tokenizer_config.json (e.g. add_bos_token), or the fallback.</summary>
    public static bool Flag(string folder, string name, bool fallback)
    {
        var config = Load(folder, "tokenizer_config.json");
        return config is { } c && c.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? v.GetBoolean() : fallback;
    }
}
