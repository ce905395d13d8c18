using System.Text.Json;
using AlignedGen.Data;
using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using Xunit;
using TempFolder = AlignedGen.Tests.ModelBuilding.TempFolder;

namespace AlignedGen.Tests.Cli;

/// <summary>Each command end to end on the embedded default model and the proxy reward (no shared/ needed).</summary>
public class CliCommandTests
{
    private static readonly string Demo = DefaultModels.EnsureDemoModel();

    private static readonly string[] Prompts = { "The little boat sailed", "In the morning the farmer", "A good friend is someone who", "The children walked to the", "When the rain stopped, the" };

    private static string WritePrompts(TempFolder temp, string name = "prompts.jsonl")
    {
        var path = temp.Sub(name);
        File.WriteAllLines(path, Prompts.Select((p, i) => JsonSerializer.Serialize(new { id = $"q{i}", prompt = p })));
        return path;
    }

    private static List<DataRow> ReadRows(string path)
    {
        using var reader = RecordFiles.OpenReader(path);
        var rows = new List<DataRow>();
        for (var row = reader.Read(); row is not null; row = reader.Read()) rows.Add(row);
        return rows;
    }

    [Fact]
    public void Generate_writes_one_jsonl_row_per_prompt_equal_to_the_core_run()
    {
        using var temp = new TempFolder();
        var run = Cli.Run("generate", "--model", Demo, "--input", WritePrompts(temp), "--strategy", "greedy", "--max-new-tokens", "12", "--batch-size", "2", "--quiet");
        Assert.True(run.Code == 0, run.ToString());
        Assert.Equal("", run.Error);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Prompts.Length, lines.Length);
        using var model = OnnxCausalLanguageModel.Load(Demo);
        var expected = new TextGenerator(model).Generate(Prompts.Select((p, i) => new GenerationRequest(p, $"q{i}")).ToArray(), SamplingStrategy.Greedy, new GenerationOptions(12, 5));
        for (var i = 0; i < lines.Length; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            var row = doc.RootElement;
            Assert.Equal($"q{i}", row.GetProperty("id").GetString());
            Assert.Equal(Prompts[i], row.GetProperty("prompt").GetString());
            Assert.Equal(expected[i].Text, row.GetProperty("response").GetString());
            Assert.Equal(expected[i].TokenIds.Count, row.GetProperty("tokens").GetInt32());
            Assert.Equal("greedy", row.GetProperty("strategy").GetString());
            Assert.Equal(JsonValueKind.Null, row.GetProperty("reward").ValueKind);
        }
    }

    [Theory]
    [InlineData("out.csv")]
    [InlineData("out.tsv")]
    [InlineData("out.parquet")]
    public void Generate_writes_any_record_format_from_any_record_format(string output)
    {
        using var temp = new TempFolder();
        var csv = temp.Sub("prompts.csv");
        File.WriteAllLines(csv, new[] { "key,text,gold" }.Concat(Prompts.Take(3).Select((p, i) => $"k{i},\"{p}\",ref{i}")));
        var run = Cli.Run("generate", "--model", Demo, "--input", csv, "--id-column", "key", "--prompt-column", "text", "--reference-column", "gold",
            "--reward", "proxy", "--w", "100", "--max-new-tokens", "6", "--output", temp.Sub(output), "--quiet");
        Assert.True(run.Code == 0, run.ToString());
        var rows = ReadRows(temp.Sub(output));
        // A prompts file to an output file is the generation job: every input column passes through, then the result columns.
        Assert.Equal(new[] { "k0", "k1", "k2" }, rows.Select(r => r.GetText("key")));
        Assert.Equal(Prompts.Take(3), rows.Select(r => r.GetText("text")));
        Assert.All(rows, r => Assert.NotNull(r.GetText("response")));
        Assert.All(rows, r => Assert.True(r.GetNumber("reward") is double d && double.IsFinite(d)));
        Assert.All(rows, r => Assert.Equal("args-greedy", r.GetText("strategy")));
    }

    [Fact]
    public void Generate_limits_rows_and_reports_rows_without_a_prompt_with_exit_code_1()
    {
        using var temp = new TempFolder();
        var input = temp.Sub("prompts.jsonl");
        File.WriteAllLines(input, new[]
        {
            "{\"id\": \"a\", \"prompt\": \"The little boat sailed\"}",
            "{\"id\": \"b\", \"question\": \"no prompt here\"}",
            "{not json",
            "{\"id\": \"c\", \"instruction\": \"In the morning the farmer\"}",
            "{\"id\": \"d\", \"prompt\": \"The children walked to the\"}",
        });
        var run = Cli.Run("generate", "--model", Demo, "--input", input, "--strategy", "greedy", "--max-new-tokens", "4", "--limit", "2", "--progress", "none");
        Assert.Equal(1, run.Code);
        var ids = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()).ToArray();
        Assert.Equal(new[] { "a", "c" }, ids); // 'instruction' stands in for a missing 'prompt' column
        Assert.Contains($"warning: {input}, line 2: no text in the prompt column 'prompt'", run.Error);
        Assert.Contains($"{input}, line 3:", run.Error);
        Assert.Contains("2 input row(s) had no usable prompt", run.Error);
    }

    [Fact]
    public void Generate_needs_a_reward_for_a_guided_strategy_and_keeps_an_existing_output()
    {
        var unguided = Cli.Run("generate", "--model", Demo, "--prompt", "Hi", "--strategy", "best-of-4");
        Assert.Equal(2, unguided.Code);
        Assert.Contains("--strategy best-of-4 is guided by a reward: pass --reward DIR", unguided.Error);
        using var temp = new TempFolder();
        File.WriteAllText(temp.Sub("out.jsonl"), "{\"id\":\"0\"}\n");
        var exists = Cli.Run("generate", "--model", Demo, "--prompt", "Hi", "--strategy", "greedy", "--output", temp.Sub("out.jsonl"));
        Assert.Equal(2, exists.Code);
        Assert.Contains("the output exists. Fix: pass --resume to continue it, or --force to overwrite it", exists.Error);
        Assert.Equal("{\"id\":\"0\"}\n", File.ReadAllText(temp.Sub("out.jsonl")));
    }

    [Fact]
    public void Ctrl_C_during_generate_keeps_the_written_rows_and_resume_finishes_the_rest()
    {
        using var temp = new TempFolder();
        var input = WritePrompts(temp);
        var output = temp.Sub("out.jsonl");
        string[] Args(params string[] extra) => new[] { "generate", "--model", Demo, "--input", input, "--strategy", "greedy", "--max-new-tokens", "8", "--batch-size", "2", "--output", output, "--progress", "plain" }.Concat(extra).ToArray();
        using var cts = new CancellationTokenSource();
        // The first progress line (after the first batch of 2) stands for the user pressing Ctrl+C.
        var error = new CancelOnLine(cts, "generate: ");
        var stopped = Cli.Run(error, cts.Token, Args());
        Assert.True(stopped.Code == 130, stopped.ToString());
        Assert.Contains($"cancelled: the responses generated so far are kept beside {output}. Run the same command with --resume to generate the rest.", stopped.Error);
        Assert.False(File.Exists(output)); // a job's output appears complete or not at all; the batches done are in its checkpoint
        Assert.Equal(2, Cli.Run(Args()).Code); // neither --resume nor --force

        var resumed = Cli.Run(Args("--resume"));
        Assert.True(resumed.Code == 0, resumed.ToString());
        Assert.Contains("(2 already done)", resumed.Error);
        var once = Cli.Run("generate", "--model", Demo, "--input", input, "--strategy", "greedy", "--max-new-tokens", "8", "--quiet");
        var expected = once.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Response);
        Assert.Equal(expected, File.ReadAllLines(output).Select(Response));

        static string Response(string line)
        {
            var row = JsonDocument.Parse(line).RootElement;
            return row.GetProperty("id").GetString() + ": " + row.GetProperty("response").GetString();
        }
    }

    [Fact]
    public void Relabel_scores_rows_with_several_rewards_and_a_composite()
    {
        using var temp = new TempFolder();
        var input = temp.Sub("rows.jsonl");
        File.WriteAllLines(input, Prompts.Select((p, i) => JsonSerializer.Serialize(new { id = $"r{i}", prompt = p, response = "and then the sun came out over the hill" })));
        var run = Cli.Run("relabel", "-i", input, "-o", temp.Sub("one.csv"), "-r", "proxy", "--quiet");
        Assert.True(run.Code == 0, run.ToString());
        Assert.Contains("relabeled 5 rows (0 already done, 0 skipped) with reward = proxy-reward", run.Out);
        var single = ReadRows(temp.Sub("one.csv"));
        Assert.All(single, r => Assert.True(r.GetNumber("reward") > 0));

        var weighted = Cli.Run("relabel", "-i", input, "-o", temp.Sub("sum.jsonl"), "-r", "proxy", "-r", "proxy", "--reward-weight", "2", "--reward-weight", "0.5", "--quiet");
        Assert.True(weighted.Code == 0, weighted.ToString());
        var sums = ReadRows(temp.Sub("sum.jsonl"));
        for (var i = 0; i < sums.Count; i++)
            Assert.Equal(2.5 * single[i].GetNumber("reward")!.Value, sums[i].GetNumber("reward")!.Value, 5);

        var mismatch = Cli.Run("relabel", "-i", input, "-o", temp.Sub("x.jsonl"), "-r", "proxy", "--reward-weight", "1", "--reward-weight", "2");
        Assert.Equal(2, mismatch.Code);
        Assert.Contains("--reward-weight was given 2 time(s) for 1 --reward(s)", mismatch.Error);
    }

    [Fact]
    public void Relabel_corrupt_rows_stop_the_job_in_cli_words_or_are_skipped_with_exit_code_1()
    {
        using var temp = new TempFolder();
        var input = temp.Sub("rows.jsonl");
        File.WriteAllLines(input, new[]
        {
            "{\"id\": \"1\", \"prompt\": \"The boat\", \"response\": \"sailed away\"}",
            "{\"id\": \"2\", \"prompt\": broken",
            "{\"id\": \"3\", \"prompt\": \"The farmer\", \"response\": \"woke up\"}",
        });
        var stops = Cli.Run("relabel", "-i", input, "-o", temp.Sub("a.jsonl"), "-r", "proxy", "--quiet");
        Assert.Equal(2, stops.Code);
        Assert.Contains($"{input}, line 2:", stops.Error);
        Assert.Contains("pass --skip-bad-records", stops.Error);
        Assert.DoesNotContain("RelabelOptions", stops.Error);

        var skips = Cli.Run("relabel", "-i", input, "-o", temp.Sub("b.jsonl"), "-r", "proxy", "--skip-bad-records", "--quiet");
        Assert.Equal(1, skips.Code);
        Assert.Equal(new[] { "1", "3" }, ReadRows(temp.Sub("b.jsonl")).Select(r => r.GetText("id")));
        Assert.Contains("1 corrupt input row(s) were skipped; they are listed in " + temp.Sub("b.jsonl") + ".skipped.jsonl", skips.Error);
    }

    [Fact]
    public void Sharded_relabel_merged_equals_one_run_and_pairs_pick_the_best_and_worst()
    {
        using var temp = new TempFolder();
        var input = temp.Sub("samples.jsonl");
        var responses = new[] { "the boat sailed on the sea", "the the the", "and the farmer saw the boat on the water", "x" };
        File.WriteAllLines(input, Prompts.SelectMany((p, i) => responses.Select((r, j) => JsonSerializer.Serialize(new { id = $"{i}-{j}", prompt_id = $"p{i}", prompt = p, response = r }))));
        for (var s = 0; s < 3; s++)
        {
            var shard = Cli.Run("relabel", "-i", input, "-o", temp.Sub($"shard{s}.jsonl"), "-r", "proxy", "--shard", $"{s}/3", "--quiet");
            Assert.True(shard.Code == 0, shard.ToString());
        }
        var merge = Cli.Run("merge", "-i", input, "-o", temp.Sub("merged.jsonl"), temp.Sub("shard0.jsonl"), temp.Sub("shard1.jsonl"), temp.Sub("shard2.jsonl"));
        Assert.True(merge.Code == 0, merge.ToString());
        Assert.Contains("merged 3 shards (20 rows)", merge.Out);
        var whole = Cli.Run("relabel", "-i", input, "-o", temp.Sub("whole.jsonl"), "-r", "proxy", "--quiet");
        Assert.True(whole.Code == 0, whole.ToString());
        Assert.Equal(File.ReadAllText(temp.Sub("whole.jsonl")), File.ReadAllText(temp.Sub("merged.jsonl")));

        var outOfOrder = Cli.Run("merge", "-i", input, "-o", temp.Sub("bad.jsonl"), temp.Sub("shard1.jsonl"), temp.Sub("shard0.jsonl"), temp.Sub("shard2.jsonl"));
        Assert.Equal(2, outOfOrder.Code);
        Assert.Contains("list the shard outputs in shard order", outOfOrder.Error);

        var pairs = Cli.Run("pairs", "-i", temp.Sub("whole.jsonl"), "-o", temp.Sub("pairs.jsonl"), "--prompt-id-column", "prompt_id");
        Assert.True(pairs.Code == 0, pairs.ToString());
        var scored = ReadRows(temp.Sub("whole.jsonl"));
        var written = ReadRows(temp.Sub("pairs.jsonl"));
        Assert.Equal(Prompts.Length, written.Count);
        foreach (var pair in written)
        {
            var group = scored.Where(r => r.GetText("prompt_id") == pair.GetText("prompt_id")).ToArray();
            Assert.Equal(group.Max(r => r.GetNumber("reward")), pair.GetNumber("score_chosen"));
            Assert.Equal(group.Min(r => r.GetNumber("reward")), pair.GetNumber("score_rejected"));
        }
        var noScores = Cli.Run("pairs", "-i", input, "-o", temp.Sub("p2.jsonl"));
        Assert.Equal(2, noScores.Code);
        Assert.Contains("missing column(s) 'reward'", noScores.Error);
        Assert.Contains("--score-column", noScores.Error);
        Assert.DoesNotContain("ColumnMap", noScores.Error);
    }

    [Fact]
    public void Ctrl_C_during_relabel_keeps_the_written_batches_and_resume_equals_one_run()
    {
        using var temp = new TempFolder();
        var input = temp.Sub("rows.jsonl");
        File.WriteAllLines(input, Enumerable.Range(0, 24).Select(i => JsonSerializer.Serialize(new { id = i.ToString(), prompt = Prompts[i % 5], response = $"reply number {i} to the prompt" })));
        var output = temp.Sub("out.jsonl");
        string[] Args(params string[] extra) => new[] { "relabel", "-i", input, "-o", output, "-r", "proxy", "--batch-size", "4", "--progress", "plain" }.Concat(extra).ToArray();
        using var cts = new CancellationTokenSource();
        var stopped = Cli.Run(new CancelOnLine(cts, "relabel: 4/24"), cts.Token, Args());
        Assert.True(stopped.Code == 130, stopped.ToString());
        Assert.Contains($"cancelled: the rows scored so far are in {output}. Run the same command with --resume to continue.", stopped.Error);
        Assert.Equal(2, Cli.Run(Args()).Code); // the output exists: neither --resume nor --force
        var resumed = Cli.Run(Args("--resume"));
        Assert.True(resumed.Code == 0, resumed.ToString());
        Assert.Contains("already done", resumed.Out);
        Assert.DoesNotContain("(0 already done", resumed.Out);
        var once = Cli.Run("relabel", "-i", input, "-o", temp.Sub("once.jsonl"), "-r", "proxy", "--quiet");
        Assert.Equal(0, once.Code);
        Assert.Equal(File.ReadAllText(temp.Sub("once.jsonl")), File.ReadAllText(output));
    }

    [Fact]
    public void Info_describes_the_demo_model_folder()
    {
        var run = Cli.Run("info", Demo);
        Assert.True(run.Code == 0, run.ToString());
        var options = DefaultModels.CreateDemoOptions();
        Assert.Contains("kind:           causal language model with KV cache", run.Out);
        Assert.Contains($"layers:         {options.Architecture.Layers}", run.Out);
        Assert.Contains($"KV heads:       {options.Architecture.KvHeads}", run.Out);
        Assert.Contains($"head size:      {options.Architecture.HeadSize}", run.Out);
        Assert.Contains($"vocabulary:     {options.VocabularySize} logits", run.Out);
        Assert.Contains("input_ids", run.Out);
        Assert.Contains("past_key_values.0.key", run.Out);
        Assert.Contains("model.onnx", run.Out);
        var json = JsonDocument.Parse(Cli.Run("info", Demo, "--json").Out).RootElement;
        Assert.Equal(options.Architecture.Layers, json.GetProperty("layers").GetInt32());
        Assert.Equal("Float", json.GetProperty("d_type").GetString());
        var missing = Cli.Run("info", "/nonexistent");
        Assert.Equal(2, missing.Code);
        Assert.Contains("/nonexistent: the folder does not exist.", missing.Error);
    }

    [Fact]
    public void Tokenize_encodes_and_decodes_back()
    {
        var run = Cli.Run("tokenize", "--model", Demo, "--json", "--no-special-tokens", "The boat", "sailed");
        Assert.True(run.Code == 0, run.ToString());
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(new[] { "The boat", "sailed" }, lines.Select(l => l.GetProperty("text").GetString()));
        var ids = lines[0].GetProperty("ids").EnumerateArray().Select(e => e.GetInt32().ToString()).ToArray();
        var back = Cli.Run(new[] { "tokenize", "--model", Demo, "--decode" }.Concat(ids).ToArray());
        Assert.True(back.Code == 0, back.ToString());
        Assert.Equal("The boat", back.Out.TrimEnd('\n'));
        var outside = Cli.Run("tokenize", "--model", Demo, "--decode", "999999");
        Assert.Equal(2, outside.Code);
        Assert.Contains("outside the vocabulary", outside.Error);
    }
}
