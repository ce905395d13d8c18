using System.Text.Json;
using AlignedGen.Data;
using AlignedGen.Relabeling;
using AlignedGen.Rewards;
using AlignedGen.Tests.Data;
using Xunit;

namespace AlignedGen.Tests.Relabeling;

public class RelabelRealModelTests
{
    [SkippableTheory]
    [InlineData("rm-llama-cached")]
    [InlineData("rm-llama-seqcls")]
    [InlineData("rm-wordpiece")]
    public void Relabeling_with_a_trained_reward_model_reproduces_its_reference_rewards(string model)
    {
        var folder = SharedFolder.Require("models", model);
        using var dir = new TempFolder();
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "examples.json")));
        var rows = doc.RootElement.EnumerateArray().Select((e, i) => new DataRow
        {
            ["id"] = i,
            ["prompt"] = e.GetProperty("prompt").GetString(),
            ["response"] = e.GetProperty("response").GetString(),
            ["expected"] = e.GetProperty("reward").GetDouble(),
        }).ToArray();
        Assert.True(rows.Length >= 10);
        SampleRows.Write(dir.File("examples.jsonl"), rows);

        using var rm = RewardModelLoader.FromFolder(folder);
        var options = new RelabelOptions(dir.File("examples.jsonl"), dir.File("scored.csv"), RewardColumn.For(rm)) { BatchSize = 5 };
        var summary = new RelabelJob(options).Run();

        Assert.Equal(rows.Length, summary.RowsScored);
        var scored = SampleRows.ReadAll(dir.File("scored.csv"));
        // Reference rewards come from the model's torch reference (examples.json), an independent oracle; float32 output.
        foreach (var row in scored)
            Assert.Equal(row.GetNumber("expected")!.Value, row.GetNumber("reward")!.Value, 1e-4);
    }
}
