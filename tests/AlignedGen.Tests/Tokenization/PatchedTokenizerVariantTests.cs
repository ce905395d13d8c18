using System.Text.Json.Nodes;
using AlignedGen.Tokenization;
using Xunit;

namespace AlignedGen.Tests.Tokenization;

/// <summary>
/// Variants of the shared tokenizers that exercise components the shared files do not use (Llama-3-style regex Split +
/// ByteLevel, Metaspace pre-tokenizer/decoder with prepend schemes, NFKC + Strip normalizers, added tokens with
/// lstrip/rstrip/normalized/single_word). Each variant's patch is committed with HF tokenizers' ids for it; the test
/// applies the same patch to the shared tokenizer.json.
/// </summary>
public class PatchedTokenizerVariantTests
{
    public static IEnumerable<object[]> Variants() =>
        new[] { "gpt2-llama3-style", "llama-metaspace-first", "llama-metaspace-split", "bert-added-tokens" }.Select(v => new object[] { v });

    private static string Patch(string baseJson, JsonObject patch)
    {
        var json = JsonNode.Parse(baseJson)!.AsObject();
        if (patch["replace"] is JsonObject replace)
            foreach (var (key, value) in replace) json[key] = value?.DeepClone();
        if (patch["model_overrides"] is JsonObject overrides)
            foreach (var (key, value) in overrides) json["model"]![key] = value?.DeepClone();
        var added = json["added_tokens"]!.AsArray();
        if (patch["keep_added_token_ids"] is JsonArray keepIds)
        {
            var keep = keepIds.Select(n => n!.GetValue<int>()).ToHashSet();
            added = new JsonArray(added.Where(t => keep.Contains(t!["id"]!.GetValue<int>())).Select(t => t!.DeepClone()).ToArray());
        }
        if (patch["extra_added_tokens"] is JsonArray extra)
            foreach (var t in extra) added.Add(t!.DeepClone());
        json["added_tokens"] = added.Parent is null ? added : added.DeepClone();
        return json.ToJsonString();
    }

    [SkippableTheory]
    [MemberData(nameof(Variants))]
    public void PatchedTokenizer_MatchesHuggingFace(string name)
    {
        var oracle = TokenizerOracle.Load(name);
        var baseParts = oracle.Base!.Split('/');
        var source = Path.Combine(SharedFolder.Require(baseParts[..^1]), baseParts[^1]);
        var patch = JsonNode.Parse(oracle.Patch!.Value.GetRawText())!.AsObject();
        var temp = Directory.CreateTempSubdirectory("alignedgen-variant-");
        try
        {
            var path = Path.Combine(temp.FullName, "tokenizer.json");
            File.WriteAllText(path, Patch(File.ReadAllText(source), patch));
            var tok = TokenizerLoader.FromTokenizerJson(path);
            Assert.Equal(oracle.VocabularySize, tok.VocabularySize);
            var failures = new List<string>();
            foreach (var c in oracle.Cases)
            {
                var text = TokenizerOracle.Describe(c.Text);
                var ids = tok.Encode(c.Text, addSpecialTokens: false);
                if (!ids.SequenceEqual(c.Ids)) failures.Add($"{text}: expected [{string.Join(",", c.Ids)}] got [{string.Join(",", ids)}]");
                if (!tok.Encode(c.Text).SequenceEqual(c.IdsWithSpecial)) failures.Add($"{text} with special tokens");
                if (tok.Decode(c.Ids) != c.Decoded) failures.Add($"{text} decode: {TokenizerOracle.Describe(tok.Decode(c.Ids))}");
                if (tok.Decode(c.IdsWithSpecial) != c.DecodedWithSpecialSkipped) failures.Add($"{text} decode (skip)");
                if (tok.Decode(c.IdsWithSpecial, skipSpecialTokens: false) != c.DecodedWithSpecialKept) failures.Add($"{text} decode (keep)");
            }
            foreach (var d in oracle.DecodeCases)
            {
                if (tok.Decode(d.Ids, skipSpecialTokens: false) != d.KeepSpecial) failures.Add($"random decode [{string.Join(",", d.Ids)}]");
                if (tok.Decode(d.Ids) != d.SkipSpecial) failures.Add($"random decode (skip) [{string.Join(",", d.Ids)}]");
            }
            Assert.True(failures.Count == 0, $"{failures.Count} differences:\n" + string.Join("\n", failures));
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }
}
