using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Tokenization;
using Xunit;

namespace AlignedGen.Tests.ModelBuilding;

/// <summary>
/// The story model the demo runs: a word-level interpolated 4-gram model as an ONNX decoder. Its logits are checked
/// against the model's definition counted here independently, and its id cache against batching and step-by-step decoding.
/// </summary>
public sealed class StoryModelTests
{
    private static readonly string Folder = DefaultModels.EnsureStoryModel();

    [Fact]
    public void The_folder_is_written_once_with_the_same_bytes_and_its_tokenizer_knows_every_corpus_word()
    {
        using var temp = new TempFolder();
        var other = DefaultModels.EnsureStoryModel(temp.Path);
        Assert.Equal(Path.Combine(temp.Path, DefaultModels.StoryFolderName), other);
        Assert.Equal(FolderHashes.Of(Folder), FolderHashes.Of(other));
        var tokenizer = TokenizerLoader.FromFolder(Folder);
        var unk = tokenizer.TokenToId("[UNK]");
        foreach (var line in Lines())
            Assert.DoesNotContain(unk!.Value, tokenizer.Encode(line, addSpecialTokens: false));
        Assert.Equal("The little boat sailed across the lake, and the sun was high.",
            tokenizer.Decode(tokenizer.Encode("The little boat sailed across the lake, and the sun was high.")));
    }

    [Theory]
    [InlineData("The little boat sailed")]
    [InlineData("A good friend is someone who")]
    [InlineData("When the rain stopped, the")]
    [InlineData("Purple elephants sang")] // no context seen: "sang" alone, and [UNK]s before it
    [InlineData("The")]
    public void Logits_are_the_interpolated_4_gram_log_probabilities_of_the_corpus(string prompt)
    {
        using var model = OnnxCausalLanguageModel.Load(Folder);
        var ids = model.Tokenizer.Encode(prompt);
        using var state = model.CreateState();
        state.Extend(new[] { ids });
        var actual = state.Output(0).ToArray();
        var expected = Reference(model.Tokenizer, model.Config.VocabularySize, ids);
        for (var n = 0; n < actual.Length; n++)
            Assert.True(Math.Abs(expected[n] - actual[n]) < 0.02, $"token {n} '{model.Tokenizer.IdToToken(n)}': expected {expected[n]:F4}, got {actual[n]:F4}");
    }

    [Fact]
    public void Greedy_text_does_not_depend_on_batching_or_on_decoding_step_by_step()
    {
        using var model = OnnxCausalLanguageModel.Load(Folder);
        var prompts = GenerationRequest.FromPrompts(new[] { "The children walked to the", "A", "In the morning the farmer walked to", "Once upon a time" });
        var generator = new TextGenerator(model);
        var together = generator.Generate(prompts, SamplingStrategy.Greedy, new GenerationOptions(maxNewTokens: 24, batchSize: 4));
        var alone = generator.Generate(prompts, SamplingStrategy.Greedy, new GenerationOptions(maxNewTokens: 24, batchSize: 1));
        Assert.Equal(alone.Select(r => r.Text), together.Select(r => r.Text));
        // The cache path (prefill then one step per token) gives the logits of one prefill over the whole text.
        var ids = model.Tokenizer.Encode("The children walked to the school along the river");
        using var stepped = model.CreateState();
        stepped.Extend(new[] { ids.Take(3).ToArray() });
        foreach (var id in ids.Skip(3)) stepped.Step(new[] { id });
        using var whole = model.CreateState();
        whole.Extend(new[] { ids });
        Assert.Equal(whole.Output(0).ToArray(), stepped.Output(0).ToArray());
    }

    private static IEnumerable<string> Lines() => DefaultModels.StoryCorpus.Split('\n').Where(l => l.Trim().Length > 0);

    /// <summary>ln P(next | last three ids) from the model's definition, counted here from the corpus.</summary>
    private static double[] Reference(ITextTokenizer tokenizer, int v, IReadOnlyList<int> prompt)
    {
        const int pad = 0, bos = 1, eos = 2;
        var counts = new Dictionary<string, Dictionary<int, int>>();
        var alphabet = new HashSet<int> { eos };
        foreach (var line in Lines())
        {
            var x = new List<int> { pad, pad, bos };
            x.AddRange(tokenizer.Encode(line, addSpecialTokens: false));
            x.Add(eos);
            for (var i = 3; i < x.Count; i++)
            {
                alphabet.Add(x[i]);
                for (var order = 1; order <= 3; order++)
                {
                    var key = string.Join(",", x.Skip(i - order).Take(order));
                    if (!counts.TryGetValue(key, out var c)) counts[key] = c = new Dictionary<int, int>();
                    c[x[i]] = c.GetValueOrDefault(x[i]) + 1;
                }
            }
        }
        var context = new List<int> { pad, pad };
        context.AddRange(prompt);
        var p = new double[v];
        var last = counts.GetValueOrDefault(context[^1].ToString()) ?? new Dictionary<int, int>();
        for (var n = 0; n < v; n++)
            p[n] = alphabet.Contains(n) ? (last.GetValueOrDefault(n) + 0.1) / (last.Values.Sum() + 0.1 * alphabet.Count) : 0;
        foreach (var order in new[] { 2, 3 })
        {
            if (!counts.TryGetValue(string.Join(",", context.Skip(context.Count - order)), out var seen)) break;
            double total = seen.Values.Sum(), lambda = total / (total + 1);
            for (var n = 0; n < v; n++) p[n] = lambda * seen.GetValueOrDefault(n) / total + (1 - lambda) * p[n];
        }
        return p.Select(q => q > 0 ? Math.Log(q) : BigramTable.NeverLogit).ToArray();
    }
}
