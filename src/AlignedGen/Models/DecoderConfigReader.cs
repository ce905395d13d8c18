using System.Text.Json;
using AlignedGen.Tokenization;

namespace AlignedGen.Models;

/// <summary>
/// Reads <see cref="DecoderConfig"/> from a model folder's JSON files. Precedence for stop ids:
/// generation_config.json, then config.json, then genai_config.json. Where the files disagree with the
/// tokenizer's own special tokens, the tokenizer wins and a note says so (real folders disagree like this).
/// </summary>
internal static class DecoderConfigReader
{
    /// <summary>Reads the config files of <paramref name="folder"/>; <paramref name="tokenizerSpecials"/> breaks ties.</summary>
    public static DecoderConfig Read(string folder, SpecialTokenIds? tokenizerSpecials = null, int? graphVocabularySize = null)
    {
        var notes = new List<string>();
        using var config = TryParse(Path.Combine(folder, "config.json"));
        using var generation = TryParse(Path.Combine(folder, "generation_config.json"));
        using var genai = TryParse(Path.Combine(folder, "genai_config.json"));
        var genaiModel = genai is not null && genai.RootElement.TryGetProperty("model", out var m) ? m : (JsonElement?)null;

        int? vocab = Int(config?.RootElement, "vocab_size") ?? Int(genaiModel, "vocab_size");
        int? context = Int(config?.RootElement, "max_position_embeddings") ?? Int(genaiModel, "context_length")
                       ?? Int(config?.RootElement, "n_positions") ?? Int(config?.RootElement, "max_sequence_length");

        IReadOnlyList<int>? eos = IntList(generation?.RootElement, "eos_token_id");
        string eosSource = "generation_config.json";
        if (eos is null) { eos = IntList(config?.RootElement, "eos_token_id"); eosSource = "config.json"; }
        if (eos is null) { eos = IntList(genaiModel, "eos_token_id"); eosSource = "genai_config.json"; }

        int? bos = Int(generation?.RootElement, "bos_token_id") ?? Int(config?.RootElement, "bos_token_id") ?? Int(genaiModel, "bos_token_id");
        int? pad = Int(generation?.RootElement, "pad_token_id") ?? Int(config?.RootElement, "pad_token_id") ?? Int(genaiModel, "pad_token_id");

        if (tokenizerSpecials is not null)
        {
            if (tokenizerSpecials.Bos is int tb && bos != tb)
            {
                if (bos is not null) notes.Add($"bos_token_id {bos} in the config files disagrees with the tokenizer's BOS {tb}; using the tokenizer's.");
                bos = tb;
            }
            if (tokenizerSpecials.Eos.Count > 0 && (eos is null || !tokenizerSpecials.Eos.All(eos.Contains)))
            {
                if (eos is not null && eosSource != "generation_config.json")
                {
                    notes.Add($"eos_token_id [{string.Join(", ", eos)}] in {eosSource} disagrees with the tokenizer's EOS [{string.Join(", ", tokenizerSpecials.Eos)}]; using the tokenizer's.");
                    eos = tokenizerSpecials.Eos;
                }
                else if (eos is null)
                {
                    eos = tokenizerSpecials.Eos;
                }
                else
                {
                    eos = eos.Concat(tokenizerSpecials.Eos).Distinct().ToArray();
                    notes.Add($"added the tokenizer's EOS to generation_config.json's stop ids: [{string.Join(", ", eos)}].");
                }
            }
            pad ??= tokenizerSpecials.Pad;
        }

        if (graphVocabularySize is int gv && gv > 0)
        {
            if (vocab is int cv && cv != gv) notes.Add($"vocab_size {cv} in config disagrees with the graph's logits width {gv}; using the graph's.");
            vocab = gv;
        }
        if (vocab is null)
            throw new ModelFolderException(folder, "no vocab_size in config.json or genai_config.json, and the graph's logits width is symbolic.",
                "add \"vocab_size\" to config.json.");

        if (context is null) notes.Add("no max_position_embeddings / context_length found; assuming 2048.");
        return new DecoderConfig
        {
            VocabularySize = vocab.Value,
            ContextLength = context ?? 2048,
            BosTokenId = bos,
            EosTokenIds = eos ?? Array.Empty<int>(),
            PadTokenId = pad ?? eos?.FirstOrDefault() ?? 0,
            ModelType = Str(config?.RootElement, "model_type") ?? Str(genaiModel, "type") ?? "unknown",
            Notes = notes,
        };
    }

    private static JsonDocument? TryParse(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new ModelFolderException(path, $"is not valid JSON ({ex.Message}).", "repair or remove the file.", ex);
        }
    }

    private static int? Int(JsonElement? e, string name)
    {
        if (e is not { ValueKind: JsonValueKind.Object } obj || !obj.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i)) return i;
        if (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() > 0 && v[0].TryGetInt32(out var first)) return first;
        return null;
    }

    private static IReadOnlyList<int>? IntList(JsonElement? e, string name)
    {
        if (e is not { ValueKind: JsonValueKind.Object } obj || !obj.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i)) return new[] { i };
        if (v.ValueKind == JsonValueKind.Array)
            return v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Number).Select(x => x.GetInt32()).ToArray();
        return null;
    }

    private static string? Str(JsonElement? e, string name)
        => e is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
