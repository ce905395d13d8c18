using System.Text;
using AlignedGen.ModelBuilding;
using Xunit;
using Xunit.Abstractions;
using static AlignedGen.Tests.ModelBuilding.DecoderHarness;
using AlignedGen.Models;

namespace AlignedGen.Tests.ModelBuilding;

public sealed class DefaultModelsTests(ITestOutputHelper output)
{
    [Fact]
    public void DemoModelIsWrittenOnceAndReusedWithIdenticalBytes()
    {
        using var temp = new TempFolder();
        var folder = DefaultModels.EnsureDemoModel(temp.Sub("cache-a"));
        Assert.StartsWith("alignedgen-demo-", Path.GetFileName(folder));
        Assert.Equal(Path.Combine(temp.Sub("cache-a"), DefaultModels.DemoFolderName), folder);
        foreach (var file in new[] { "model.onnx", "config.json", "generation_config.json", "genai_config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json" })
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        var written = File.GetLastWriteTimeUtc(Path.Combine(folder, "model.onnx"));

        Assert.Equal(folder, DefaultModels.EnsureDemoModel(temp.Sub("cache-a")));
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(folder, "model.onnx")));
        Assert.Empty(Directory.GetDirectories(temp.Sub("cache-a"), "*.tmp-*"));

        var other = DefaultModels.EnsureDemoModel(temp.Sub("cache-b"));
        Assert.Equal(FolderHashes.Of(folder), FolderHashes.Of(other));
    }

    [Fact]
    public void ConcurrentCallsAgreeOnOneCompleteFolder()
    {
        using var temp = new TempFolder();
        var paths = new string[4];
        Parallel.For(0, paths.Length, i => paths[i] = DefaultModels.EnsureDemoModel(temp.Path));
        Assert.Single(paths.Distinct());
        Assert.Equal([DefaultModels.DemoFolderName], Directory.GetDirectories(temp.Path).Select(Path.GetFileName));
        using var model = new OrtModel(Path.Combine(paths[0], "model.onnx"));
        Assert.Contains("logits", model.Session.OutputNames);
    }

    [Fact]
    public void AFolderChangedByHandIsReportedNotOverwritten()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(Path.Combine(temp.Path, DefaultModels.DemoFolderName));
        var error = Assert.Throws<ModelFolderException>(() => DefaultModels.EnsureDemoModel(temp.Path));
        Assert.Contains("delete the folder", error.Fix);
    }

    [Fact]
    public void DemoModelPrefersTheMostFrequentNextByteOfItsCorpus()
    {
        // Independent count of the embedded corpus: for each byte, which bytes follow it most often.
        var corpus = DefaultModels.DemoCorpus;
        Assert.True(corpus.Length > 3000, "the demo corpus should be a few KB");
        var follow = new Dictionary<int, Dictionary<int, int>>();
        foreach (var line in corpus.Split('\n').Where(l => l.Length > 0))
        {
            var ids = new List<int> { ByteLevelVocabulary.BosId };
            ids.AddRange(Encoding.UTF8.GetBytes(line).Select(b => (int)b));
            ids.Add(ByteLevelVocabulary.EosId);
            for (var i = 0; i + 1 < ids.Count; i++)
            {
                var counts = follow.TryGetValue(ids[i], out var c) ? c : follow[ids[i]] = new Dictionary<int, int>();
                counts[ids[i + 1]] = counts.GetValueOrDefault(ids[i + 1]) + 1;
            }
        }
        var tokens = follow.Keys.Order().ToArray();

        var options = DefaultModels.CreateDemoOptions();
        using var run = new DecoderHarness(Path.Combine(DefaultModels.EnsureDemoModel(), "model.onnx"),
            options.Architecture.Layers, options.Architecture.KvHeads, options.Architecture.HeadSize);
        var ids2 = new long[tokens.Length, 2];
        for (var k = 0; k < tokens.Length; k++)
        {
            ids2[k, 0] = ByteLevelVocabulary.BosId;
            ids2[k, 1] = tokens[k];
        }
        var logits = run.Step(ids2, Ones(tokens.Length, 2)).Outputs["logits"];
        var argmax = TestModels.ArgMaxRows(logits);
        for (var k = 0; k < tokens.Length; k++)
        {
            var counts = follow[tokens[k]];
            var best = counts.Values.Max();
            Assert.True(counts.GetValueOrDefault(argmax[2 * k + 1]) == best,
                $"after {tokens[k]} the model prefers {argmax[2 * k + 1]}, the corpus' most frequent successors are {string.Join(",", counts.Where(c => c.Value == best).Select(c => c.Key))}");
        }
        Assert.Equal([(int)'u'], follow['q'].Keys);    // a fact of the corpus: q is always followed by u
        Assert.Equal('u', argmax[2 * Array.IndexOf(tokens, (int)'q') + 1]);
    }

    [Fact]
    public void SampledDemoTextUsesOnlyTheCorpusAlphabet()
    {
        var options = DefaultModels.CreateDemoOptions();
        using var run = new DecoderHarness(Path.Combine(DefaultModels.EnsureDemoModel(), "model.onnx"),
            options.Architecture.Layers, options.Architecture.KvHeads, options.Architecture.HeadSize);
        var alphabet = Encoding.UTF8.GetBytes(DefaultModels.DemoCorpus.Replace("\n", "")).Select(b => (int)b).ToHashSet();
        alphabet.Add(ByteLevelVocabulary.EosId);

        var random = new Random(12345);
        var prompt = new long[] { ByteLevelVocabulary.BosId }.Concat(ByteLevelVocabulary.EncodeBytes("The ").Select(b => (long)b)).ToArray();
        var (outputs, cache) = run.Step(Row(prompt), Ones(1, prompt.Length));
        var generated = new List<int>();
        for (var step = 0; step < 120; step++)
        {
            var logits = outputs["logits"];
            var last = (int)logits.Shape[1] - 1;
            var next = Sample(Enumerable.Range(0, ByteLevelVocabulary.Size).Select(v => (double)logits[0, last, v]).ToArray(), random);
            Assert.Contains(next, alphabet);
            if (next == ByteLevelVocabulary.EosId) break;
            generated.Add(next);
            (outputs, cache) = run.Step(Row(next), Ones(1, prompt.Length + generated.Count), cache);
        }
        var text = ByteLevelVocabulary.Decode(generated);
        output.WriteLine("The " + text);
        Assert.True(text.Count(c => char.IsLetter(c) || c == ' ') >= 0.8 * text.Length, text);
    }

    private static int Sample(double[] logits, Random random)
    {
        var max = logits.Max();
        var weights = logits.Select(l => Math.Exp(l - max)).ToArray();
        var u = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
            if ((u -= weights[i]) <= 0) return i;
        return weights.Length - 1;
    }
}
