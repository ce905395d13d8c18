using System.Text.Json.Nodes;
using AlignedGen.Tokenization;
using Xunit;

namespace AlignedGen.Tests.Tokenization;

/// <summary>
/// A Llama-3-style byte-level tokenizer (regex Split pre-tokenizer, ByteLevel without regex, ignore_merges, a BOS
/// template) built from GPT-2's files with the patch committed beside the oracle ids, which HF tokenizers produced.
/// </summary>
public class Llama3StyleByteLevelTests
{
    [SkippableFact]
    public void PatchedGpt2_MatchesHuggingFace()
    {
        var source = Path.Combine(SharedFolder.Require("tokenizers", "gpt2"), "tokenizer.json");
        var oracle = TokenizerOracle.Load("gpt2-llama3-style");
        var patch = JsonNode.Parse(oracle.Patch!.Value.GetRawText())!.AsObject();
        var json = JsonNode.Parse(File.ReadAllText(source))!.AsObject();
        json["pre_tokenizer"] = patch["pre_tokenizer"]!.DeepClone();
        json["post_processor"] = patch["post_processor"]!.DeepClone();
        foreach (var (key, value) in patch["model_overrides"]!.AsObject()) json["model"]![key] = value!.DeepClone();
        var keep = patch["keep_added_token_ids"]!.AsArray().Select(n => n!.GetValue<int>()).ToHashSet();
        var added = new JsonArray(json["added_tokens"]!.AsArray().Where(t => keep.Contains(t!["id"]!.GetValue<int>())).Select(t => t!.DeepClone()).ToArray());
        json["added_tokens"] = added;
        var temp = Directory.CreateTempSubdirectory("alignedgen-l3-");
        try
        {
            var path = Path.Combine(temp.FullName, "tokenizer.json");
            File.WriteAllText(path, json.ToJsonString());
            var tok = TokenizerLoader.FromTokenizerJson(path);
            Assert.Equal("BPE (byte-level)", tok.Kind);
            Assert.Equal(50256, tok.SpecialTokens.Bos);
            foreach (var c in oracle.Cases)
            {
                Assert.Equal(c.Ids, tok.Encode(c.Text, addSpecialTokens: false));
                Assert.Equal(c.IdsWithSpecial, tok.Encode(c.Text));
                Assert.Equal(c.DecodedWithSpecialSkipped, tok.Decode(c.IdsWithSpecial));
                Assert.Equal(c.DecodedWithSpecialKept, tok.Decode(c.IdsWithSpecial, skipSpecialTokens: false));
            }
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }
}
