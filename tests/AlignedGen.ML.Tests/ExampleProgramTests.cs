using AlignedGen.Data;
using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Xunit;

namespace AlignedGen.ML.Tests;

/// <summary>examples/ArgsOverJsonl end to end: JSONL in, ARGS with the proxy reward, JSONL out; checked against the core library.</summary>
public class ExampleProgramTests
{
    [Fact]
    public void ArgsOverJsonlWritesTheSameResponsesAsTheCoreLibrary()
    {
        var folder = TestModels.NewFolder("example");
        var input = Path.Combine(folder, "prompts.jsonl");
        var output = Path.Combine(folder, "results.jsonl");
        var prompts = new[] { "Once upon a time ", "The dog ", "She said " };
        File.WriteAllLines(input, prompts.Select(p => $"{{\"prompt\": \"{p}\"}}"));
        var log = new StringWriter();
        var rows = ArgsOverJsonl.Program.Run(ArgsOverJsonl.ExampleSettings.Parse(new[] { input, output, "--max-new-tokens", "6", "--top-k", "3", "--batch-size", "2" }), log);
        Assert.Equal(3, rows);

        using var lm = OnnxCausalLanguageModel.Load(TestModels.LanguageModel);
        using var proxy = ProxyRewardSource.CreateDefault();
        var expected = new TextGenerator(lm, proxy).Generate(GenerationRequest.FromPrompts(prompts), new ArgsStrategy(new ArgsOptions(topK: 3)),
            new GenerationOptions(maxNewTokens: 6, batchSize: 2, seed: 0));
        using var reader = RecordFiles.OpenReader(output);
        var written = new List<DataRow>();
        while (reader.Read() is { } row) written.Add(row);
        Assert.Equal(new[] { "prompt", "Response", "Reward", "TokenCount", "FinishReason" }, written[0].ColumnNames);
        Assert.Equal(prompts, written.Select(r => r.GetText("prompt")));
        Assert.Equal(expected.Select(r => r.Text), written.Select(r => r.GetText("Response")));
        for (int i = 0; i < 3; i++) Assert.Equal(expected[i].Reward!.Value, written[i].GetNumber("Reward")!.Value, 4);
        Assert.Contains("proxy reward", log.ToString());
        Assert.Equal(2, ArgsOverJsonl.Program.Main(new[] { "only-one-arg" }));
    }
}
