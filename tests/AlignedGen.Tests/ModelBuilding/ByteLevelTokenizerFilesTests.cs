using System.Text.Json;
using AlignedGen.ModelBuilding;
using Xunit;
using AlignedGen.Tokenization;

namespace AlignedGen.Tests.ModelBuilding;

public sealed class ByteLevelTokenizerFilesTests
{
    private static string WriteByteLevelModel(TempFolder temp) =>
        TinyDecoderBuilder.WriteFolder(new TinyDecoderOptions(BigramTable.FromCorpus("hello world\n"))
        {
            Architecture = new TinyTransformerArchitecture { MaxPositions = 32, ScratchDims = 2 },
        }, temp.Path);

    [Fact]
    public void TokenizerJsonIsAByteLevelBpeWithoutMergesAndThreeSpecialTokens()
    {
        using var temp = new TempFolder();
        var folder = WriteByteLevelModel(temp);
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "tokenizer.json")));
        var root = doc.RootElement;

        var model = root.GetProperty("model");
        Assert.Equal("BPE", model.GetProperty("type").GetString());
        Assert.Equal(0, model.GetProperty("merges").GetArrayLength());
        var vocab = model.GetProperty("vocab").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(ByteLevelVocabulary.Size, vocab.Count);
        Assert.Equal(Enumerable.Range(0, ByteLevelVocabulary.Size), vocab.Values.Order());
        for (var b = 0; b < 256; b++)
        {
            var symbol = ByteLevelVocabulary.ByteToSymbol((byte)b);
            Assert.Equal(1, symbol.Length);
            Assert.Equal(b, vocab[symbol]);
        }
        Assert.Equal(256, vocab["<s>"]);
        Assert.Equal(257, vocab["</s>"]);
        Assert.Equal(258, vocab["<pad>"]);

        var added = root.GetProperty("added_tokens").EnumerateArray()
            .Select(t => (Id: t.GetProperty("id").GetInt32(), Content: t.GetProperty("content").GetString(), Special: t.GetProperty("special").GetBoolean()))
            .ToArray();
        Assert.Equal([(256, "<s>", true), (257, "</s>", true), (258, "<pad>", true)], added);

        Assert.Equal("ByteLevel", root.GetProperty("pre_tokenizer").GetProperty("type").GetString());
        Assert.False(root.GetProperty("pre_tokenizer").GetProperty("add_prefix_space").GetBoolean());
        Assert.Equal("ByteLevel", root.GetProperty("decoder").GetProperty("type").GetString());
        var post = root.GetProperty("post_processor");
        Assert.Equal("TemplateProcessing", post.GetProperty("type").GetString());
        var single = post.GetProperty("single");
        Assert.Equal("<s>", single[0].GetProperty("SpecialToken").GetProperty("id").GetString());
        Assert.Equal("A", single[1].GetProperty("Sequence").GetProperty("id").GetString());
        Assert.Equal(256, post.GetProperty("special_tokens").GetProperty("<s>").GetProperty("ids")[0].GetInt32());

        using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "tokenizer_config.json")));
        Assert.Equal("<s>", config.RootElement.GetProperty("bos_token").GetString());
        Assert.Equal("</s>", config.RootElement.GetProperty("eos_token").GetString());
        Assert.Equal("<pad>", config.RootElement.GetProperty("pad_token").GetString());
        Assert.True(File.Exists(Path.Combine(folder, "special_tokens_map.json")));
    }

    [Fact]
    public void ByteSymbolsFollowGpt2ByteToUnicode()
    {
        Assert.Equal("Ġ", ByteLevelVocabulary.ByteToSymbol((byte)' '));   // GPT-2's well-known space symbol (U+0120)
        Assert.Equal("Ċ", ByteLevelVocabulary.ByteToSymbol((byte)'\n'));  // newline is U+010A
        Assert.Equal("A", ByteLevelVocabulary.ByteToSymbol((byte)'A'));
        Assert.Equal("Ā", ByteLevelVocabulary.ByteToSymbol(0));            // the first non-printable byte maps to U+0100
        Assert.Equal(256, Enumerable.Range(0, 256).Select(b => ByteLevelVocabulary.ByteToSymbol((byte)b)).Distinct().Count());
        Assert.Equal("héllo", ByteLevelVocabulary.Decode(ByteLevelVocabulary.EncodeBytes("héllo").Prepend(ByteLevelVocabulary.BosId)));
    }

    [SkippableFact]
    public void ByteSymbolsAreExactlyTheGpt2TokenizersBaseAlphabet()
    {
        var path = SharedFolder.Require("tokenizers", "gpt2", "tokenizer.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var gpt2Base = doc.RootElement.GetProperty("model").GetProperty("vocab").EnumerateObject()
            .Where(p => p.Value.GetInt32() < 256).Select(p => p.Name).ToHashSet();
        var ours = Enumerable.Range(0, 256).Select(b => ByteLevelVocabulary.ByteToSymbol((byte)b)).ToHashSet();
        Assert.True(gpt2Base.SetEquals(ours), "GPT-2's ids 0..255 are its byte symbols; ours must be the same set");
    }

    [Fact]
    public void ConfigFilesDeclareSizesAndSpecialIds()
    {
        using var temp = new TempFolder();
        var folder = WriteByteLevelModel(temp);
        using var config = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "config.json")));
        var c = config.RootElement;
        Assert.Equal("llama", c.GetProperty("model_type").GetString());
        Assert.Equal(259, c.GetProperty("vocab_size").GetInt32());
        Assert.Equal(259 + 8 + 2, c.GetProperty("hidden_size").GetInt32());
        Assert.Equal(2, c.GetProperty("num_key_value_heads").GetInt32());
        Assert.Equal(32, c.GetProperty("max_position_embeddings").GetInt32());
        Assert.Equal(256, c.GetProperty("bos_token_id").GetInt32());
        Assert.Equal(257, c.GetProperty("eos_token_id").GetInt32());
        Assert.Equal(258, c.GetProperty("pad_token_id").GetInt32());

        using var genai = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "genai_config.json")));
        var decoder = genai.RootElement.GetProperty("model").GetProperty("decoder");
        Assert.Equal("model.onnx", decoder.GetProperty("filename").GetString());
        Assert.Equal("position_ids", decoder.GetProperty("inputs").GetProperty("position_ids").GetString());
        Assert.Equal("present.%d.key", decoder.GetProperty("outputs").GetProperty("present_key_names").GetString());
    }

    [Fact]
    public void SeveralEosIdsAreWrittenAsAList()
    {
        using var temp = new TempFolder();
        var folder = TinyDecoderBuilder.WriteFolder(new TinyDecoderOptions(TestModels.DistinctTable())
        {
            Architecture = new TinyTransformerArchitecture { MaxPositions = 16 },
            SpecialTokens = new SpecialTokenIds(1, [2, 1], 0, null),
        }, temp.Path);
        using var generation = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "generation_config.json")));
        Assert.Equal([2, 1], generation.RootElement.GetProperty("eos_token_id").EnumerateArray().Select(e => e.GetInt32()));
        Assert.False(File.Exists(Path.Combine(folder, "tokenizer.json")), "a non-byte-level vocabulary gets no tokenizer");
    }
}
