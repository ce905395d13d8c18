using System.Text.Json;
using AlignedGen.Data;
using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Xunit;
using TempFolder = AlignedGen.Tests.ModelBuilding.TempFolder;

namespace AlignedGen.Tests.Cli;

/// <summary>Each command end to end on the trained models and data of ../shared (skipped with a reason when it is absent).</summary>
public class CliSharedModelTests
{
    private static string Shared(params string[] parts) => SharedFolder.Require(parts);

    [SkippableFact]
    public void Generate_with_args_on_stories260K_guided_by_the_cached_reward_model_equals_the_library_run()
    {
        var lm = Shared("models", "stories260K");
        var rm = Shared("models", "rm-llama-cached");
        var prompts = Shared("data", "story-prompts.jsonl");
        var run = Cli.Run("generate", "--model", lm, "--reward", rm, "--input", prompts, "--limit", "4", "--w", "1.5", "--max-new-tokens", "16", "--quiet");
        Assert.True(run.Code == 0, run.ToString());
        var rows = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(4, rows.Length);

        var requests = File.ReadLines(prompts).Take(4).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => new GenerationRequest(e.GetProperty("prompt").GetString()!, e.GetProperty("id").GetString())).ToArray();
        using var model = OnnxCausalLanguageModel.Load(lm);
        using var reward = RewardModelLoader.FromFolder(rm);
        var expected = new TextGenerator(model, reward).Generate(requests, new ArgsStrategy(new ArgsOptions(10, 1.5)), new GenerationOptions(16));
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(expected[i].Id, rows[i].GetProperty("id").GetString());
            Assert.Equal(expected[i].Text, rows[i].GetProperty("response").GetString());
            Assert.Equal(expected[i].Reward!.Value, rows[i].GetProperty("reward").GetDouble(), 4);
            Assert.Equal("args-greedy", rows[i].GetProperty("strategy").GetString());
        }
    }

    [SkippableFact]
    public void Relabel_in_shards_merge_and_pairs_on_the_story_samples()
    {
        var rm = Shared("models", "rm-llama-seqcls");
        var samples = Shared("data", "story-samples.jsonl");
        using var temp = new TempFolder();
        var input = temp.Sub("samples.parquet");
        // 40 rows (10 prompts × 4 samples) as Parquet: rows in, in another format than they are stored.
        using (var reader = RecordFiles.OpenReader(samples))
        using (var writer = RecordFiles.CreateWriter(input))
        {
            var rows = new List<DataRow>();
            for (var row = reader.Read(); row is not null && rows.Count < 40; row = reader.Read()) rows.Add(row);
            writer.Write(rows);
        }
        for (var s = 0; s < 2; s++)
        {
            var shard = Cli.Run("relabel", "-i", input, "-o", temp.Sub($"s{s}.jsonl"), "-r", rm, "--shard", $"{s}/2", "--shard-by", "IdHash", "--quiet");
            Assert.True(shard.Code == 0, shard.ToString());
        }
        var merged = Cli.Run("merge", "-i", input, "-o", temp.Sub("merged.jsonl"), "--shard-by", "IdHash", temp.Sub("s0.jsonl"), temp.Sub("s1.jsonl"));
        Assert.True(merged.Code == 0, merged.ToString());
        var whole = Cli.Run("relabel", "-i", input, "-o", temp.Sub("whole.jsonl"), "-r", rm, "--quiet");
        Assert.True(whole.Code == 0, whole.ToString());
        Assert.Equal(File.ReadAllText(temp.Sub("whole.jsonl")), File.ReadAllText(temp.Sub("merged.jsonl")));

        // The scores are the reward model's own.
        using var reward = RewardModelLoader.FromFolder(rm);
        var scored = File.ReadAllLines(temp.Sub("whole.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        var direct = reward.Score(scored.Select(r => new RewardQuery(r.GetProperty("prompt").GetString()!, r.GetProperty("response").GetString()!)).ToArray());
        for (var i = 0; i < scored.Length; i++) Assert.True(Math.Abs(direct[i] - scored[i].GetProperty("reward").GetDouble()) < 1e-4, $"row {i}: {direct[i]} vs {scored[i].GetProperty("reward")}");

        var pairs = Cli.Run("pairs", "-i", temp.Sub("whole.jsonl"), "-o", temp.Sub("pairs.csv"), "--prompt-id-column", "prompt_id");
        Assert.True(pairs.Code == 0, pairs.ToString());
        Assert.Contains("wrote 10 pairs from 10 prompts (40 responses in 40 rows)", pairs.Out);
    }

    [SkippableFact]
    public void Info_and_tokenize_describe_stories260K_as_its_readme_does()
    {
        var lm = Shared("models", "stories260K");
        var info = Cli.Run("info", lm);
        Assert.True(info.Code == 0, info.ToString());
        foreach (var line in new[] { "layers:         5", "KV heads:       4", "head size:      8", "vocabulary:     512 logits", "context:        512 tokens", "bos:            1 <s>", "eos:            2 </s>, 1 <s>", "dtype:          Float" })
            Assert.Contains(line, info.Out);
        Assert.Contains("position_ids", info.Out);
        var tokens = Cli.Run("tokenize", "--model", lm, "--json", "Once upon a time");
        Assert.True(tokens.Code == 0, tokens.ToString());
        Assert.Equal(new[] { 1, 403, 407, 261, 378 }, JsonDocument.Parse(tokens.Out).RootElement.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()));
        var rm = Cli.Run("info", Shared("models", "rm-wordpiece"));
        Assert.True(rm.Code == 0, rm.ToString());
        Assert.Contains("reward model (EncoderSequenceClassification)", rm.Out);
        Assert.Contains("token_type_ids", rm.Out);
    }
}
