using AlignedGen.Data;
using AlignedGen.Decoding;
using AlignedGen.Jobs;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using AlignedGen.Relabeling;
using AlignedGen.Rewards;
using AlignedGen.Tests.Relabeling;
using Xunit;
using static AlignedGen.Tests.Hostile.HostileContext;

namespace AlignedGen.Tests.Hostile;

/// <summary>Broken model folders, bad option values, concurrent writers and resume mismatches.</summary>
public static partial class HostileCases
{
    private const string Mismatch = "JobMismatchException listing what differs; fix: a new output or a restart (Resume = false, -Force); nothing changed";

    private static string RewardFolder(HostileContext c, string name = "rm") =>
        TinyRewardModelBuilder.WriteSequenceClassificationFolder(
            new TinyRewardModelOptions(Enumerable.Range(0, 259).Select(i => (float)(i % 7)).ToArray(), RewardRule.LastTokenValue), c.File(name));

    /// <summary>Runs one batch of 4 rows out of 12, then stops (a reward failure): a checkpoint and manifest, as a kill leaves them.</summary>
    private static (string Input, RelabelOptions Options) Stopped(HostileContext c, string output = "out.jsonl")
    {
        var input = c.Rows("in.jsonl", 12);
        var options = Options(input, c.File(output));
        RelabelTestKit.Interrupt(options, failAtCall: 1);
        return (input, options);
    }

    private static IEnumerable<HostileCase> Jobs() => new HostileCase[]
    {
        new("model-folder-missing", "model folders", "a reward-model folder that does not exist", "ModelFolderException naming the folder and what it must hold", c =>
            Fails<ModelFolderException>(() => RewardModelLoader.FromFolder(c.File("nope")), "does not exist")),
        new("model-no-onnx", "model folders", "a folder without model.onnx", "ModelFolderException: the folder has no model.onnx", c =>
        {
            c.Write("config.json", "{}");
            Fails<ModelFolderException>(() => RewardModelLoader.FromFolder(c.Folder), "no model.onnx");
        }),
        new("model-garbage-onnx", "model folders", "a model.onnx that is not ONNX", "ModelFolderException: ONNX Runtime could not load the model", c =>
        {
            var folder = RewardFolder(c);
            File.WriteAllText(Path.Combine(folder, "model.onnx"), "not a model");
            Fails<ModelFolderException>(() => RewardModelLoader.FromFolder(folder), "could not load the model");
        }),
        new("model-truncated-onnx", "model folders", "a model.onnx cut in half", "ModelFolderException: ONNX Runtime could not load the model", c =>
        {
            var folder = RewardFolder(c);
            var path = Path.Combine(folder, "model.onnx");
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
            Fails<ModelFolderException>(() => RewardModelLoader.FromFolder(folder), "could not load the model");
        }),
        new("model-bad-config-json", "model folders", "a config.json that is not JSON", "ModelFolderException naming config.json", c =>
        {
            var folder = RewardFolder(c);
            File.WriteAllText(Path.Combine(folder, "config.json"), "{ broken");
            Fails<ModelFolderException>(() => RewardModelLoader.FromFolder(folder), "config.json");
        }),
        new("model-lm-missing", "model folders", "a language-model folder that does not exist", "ModelFolderException naming the folder", c =>
            Fails<ModelFolderException>(() => OnnxCausalLanguageModel.Load(c.File("no-model")), "no-model")),
        new("model-reward-as-lm", "model folders", "a reward-model folder loaded as a language model", "ModelFolderException: no KV-cache inputs, naming the graph's inputs", c =>
            Fails<ModelFolderException>(() => OnnxCausalLanguageModel.Load(RewardFolder(c)), "no KV-cache inputs")),
        new("option-batch-size", "options", "BatchSize = 0", "ArgumentOutOfRangeException naming BatchSize and the valid range", _ =>
            Fails<ArgumentOutOfRangeException>(() => new RelabelOptions("a.jsonl", "b.jsonl", RewardColumn.For(new FakeRewardSource())) { BatchSize = 0 }, "BatchSize", "1..1,000,000")),
        new("option-shard-index", "options", "shard 3 of 3", "ArgumentOutOfRangeException: number shards from 0", _ =>
            Fails<ArgumentOutOfRangeException>(() => new ShardSpec(3, 3), "0..2")),
        new("option-shard-count", "options", "shard count 0", "ArgumentOutOfRangeException: at least 1", _ =>
            Fails<ArgumentOutOfRangeException>(() => new ShardSpec(0, 0), "at least 1")),
        new("option-delimiter", "options", "a CSV delimiter that is a quote, a line break or not ASCII", "ArgumentException naming Delimiter", _ =>
        {
            Fails<ArgumentException>(() => new RecordReaderOptions { Delimiter = '"' }, "Delimiter");
            Fails<ArgumentException>(() => new RecordReaderOptions { Delimiter = '§' }, "not ASCII");
        }),
        new("option-reward-column-clash", "options", "a reward column named like a mapped column (`response`)", "ArgumentException naming Rewards", _ =>
            Fails<ArgumentException>(() => new RelabelJob(new RelabelOptions("a.jsonl", "b.jsonl", new[] { new RewardColumn(new FakeRewardSource(), "response") })), "also a mapped input column")),
        new("option-column-roles", "options", "one column mapped to two roles", "ArgumentException naming Columns", _ =>
            Fails<ArgumentException>(() => new RelabelOptions("a.jsonl", "b.jsonl", RewardColumn.For(new FakeRewardSource())) { Columns = new ColumnMap { Response = "prompt" } }, "two roles")),
        new("option-row-group-size", "options", "ParquetRowGroupSize = 0", "ArgumentOutOfRangeException naming it", _ =>
            Fails<ArgumentOutOfRangeException>(() => new RelabelOptions("a.jsonl", "b.jsonl", RewardColumn.For(new FakeRewardSource())) { ParquetRowGroupSize = 0 }, "ParquetRowGroupSize")),
        new("option-max-new-tokens", "options", "max new tokens 0 or a negative batch size for generation", "ArgumentOutOfRangeException with the value", _ =>
        {
            Fails<ArgumentOutOfRangeException>(() => new GenerationOptions(maxNewTokens: 0), "at least 1");
            Fails<ArgumentOutOfRangeException>(() => new GenerationOptions(batchSize: -1), "at least 1");
        }),
        new("concurrent-same-output", "concurrency", "a second relabel job on an output another job is writing", "DataFileException: give each job (shard) its own output; the first job finishes intact", c =>
        {
            var input = c.Rows("in.jsonl", 12);
            Exception? second = null;
            var reward = new FakeRewardSource { BeforeCall = call => { if (call == 1) second = Record.Exception(() => c.Relabel(input)); } };
            c.Relabel(input, reward: reward);
            Assert.Contains("its own output", Assert.IsAssignableFrom<DataFileException>(second).Fix);
            Assert.Equal(12, File.ReadAllLines(c.File("out.jsonl")).Length);
        }),
        new("concurrent-atomic-writers", "concurrency", "two writers of one file through OutputFile", "the second gets DataFileException (another process is writing)", c =>
        {
            using var first = OutputFile.Create(c.File("x.csv"));
            Fails<DataFileException>(() => OutputFile.Create(c.File("x.csv")), "cannot be written");
        }),
        new("concurrent-merge-unfinished-shard", "concurrency", "a merge while a shard is still running (its checkpoint exists)", "DataFileException: shard i has not finished; nothing is written", c =>
        {
            var input = c.Rows("in.jsonl", 12);
            var options = Options(input, c.File("x.jsonl"));
            new RelabelJob(options with { OutputPath = c.File("s0.jsonl"), Shard = new ShardSpec(0, 2) }).Run();
            RelabelTestKit.Interrupt(options with { OutputPath = c.File("s1.jsonl"), Shard = new ShardSpec(1, 2) }, failAtCall: 1);
            Fails<DataFileException>(() => ShardMerger.Merge(options, new[] { c.File("s0.jsonl"), c.File("s1.jsonl") }, c.File("m.jsonl")), "shard 1 has not finished");
            Assert.False(File.Exists(c.File("m.jsonl")));
        }),
        new("resume-other-reward", "resume", "a resume with another reward source", Mismatch, c =>
        {
            var (_, options) = Stopped(c);
            var ex = Fails<JobMismatchException>(() => new RelabelJob(options with { Rewards = RewardColumn.For(new FakeRewardSource("other")) }).Run(), "job.rewards.reward.name");
            Assert.Contains("Resume = false", ex.Fix);
        }),
        new("resume-other-reward-model", "resume", "a resume with another ONNX reward model (same name)", Mismatch + " (the model file's SHA-256)", c =>
        {
            var (input, options) = (c.Rows("in.jsonl", 12), Options(c.File("in.jsonl"), c.File("out.jsonl")));
            using (var a = RewardModelLoader.FromFolder(RewardFolder(c, "a/rm")))
                new RelabelJob(options with { Rewards = RewardColumn.For(a) }).Run();
            var other = TinyRewardModelBuilder.WriteSequenceClassificationFolder(
                new TinyRewardModelOptions(Enumerable.Range(0, 259).Select(i => (float)(i % 5)).ToArray(), RewardRule.LastTokenValue), c.File("b/rm"));
            using var b = RewardModelLoader.FromFolder(other);
            Fails<JobMismatchException>(() => new RelabelJob(options with { Rewards = RewardColumn.For(b) }).Run(), "files[\"model.onnx\"].sha256");
        }),
        new("resume-other-column", "resume", "a resume writing the reward to another column", Mismatch, c =>
        {
            var (_, options) = Stopped(c);
            Fails<JobMismatchException>(() => new RelabelJob(options with { Rewards = new[] { new RewardColumn(new FakeRewardSource(), "score") } }).Run(), "job.rewards.score");
        }),
        new("resume-other-shard", "resume", "a resume as another shard", Mismatch, c =>
        {
            var (_, options) = Stopped(c);
            Fails<JobMismatchException>(() => new RelabelJob(options with { Shard = new ShardSpec(1, 2) }).Run(), "shard was \"0/1\", now \"1/2\"");
        }),
        new("resume-other-output-format", "resume", "a resume of out.jsonl's checkpoint asked to write CSV", Mismatch, c =>
        {
            var (_, options) = Stopped(c);
            Fails<JobMismatchException>(() => new RelabelJob(options with { OutputFormat = RecordFormat.Csv }).Run(), "output_format");
        }),
        new("resume-edited-row", "resume", "an input row edited after it was scored (checkpoint)", Mismatch + "; the input line and column are named", c =>
        {
            var (input, options) = Stopped(c);
            var lines = File.ReadAllLines(input);
            lines[2] = lines[2].Replace("response 2", "edited");
            File.WriteAllLines(input, lines);
            Assert.Equal(3, Fails<JobMismatchException>(() => new RelabelJob(options).Run(), "r2' was edited", "column 'response'").LineNumber);
        }),
        new("resume-edited-finished-row", "resume", "an input row edited after a finished run, then rows appended", Mismatch + " (the fingerprint of the rows done)", c =>
        {
            var input = c.Rows("in.jsonl", 6);
            c.Relabel(input);
            File.WriteAllText(input, File.ReadAllText(input).Replace("p3", "edited") + Row(6) + "\n");
            Fails<JobMismatchException>(() => c.Relabel(input), "changed since the output");
        }),
        new("resume-reordered-rows", "resume", "input rows reordered after they were scored", Mismatch + "; the ids are named", c =>
        {
            var (input, options) = Stopped(c);
            var lines = File.ReadAllLines(input);
            (lines[0], lines[1]) = (lines[1], lines[0]);
            File.WriteAllLines(input, lines);
            Fails<JobMismatchException>(() => new RelabelJob(options).Run(), "id 'r0'", "id 'r1'");
        }),
        new("resume-removed-rows", "resume", "rows removed from the input of a finished run", Mismatch, c =>
        {
            var input = c.Rows("in.jsonl", 6);
            c.Relabel(input);
            c.Rows("in.jsonl", 4);
            Fails<JobMismatchException>(() => c.Relabel(input), "rows were removed");
        }),
        new("resume-truncated-output", "resume", "a finished output truncated by hand", Mismatch + " (row count against the manifest)", c =>
        {
            var input = c.Rows("in.jsonl", 6);
            c.Relabel(input);
            File.WriteAllLines(c.File("out.jsonl"), File.ReadAllLines(c.File("out.jsonl"))[..2]);
            Fails<JobMismatchException>(() => c.Relabel(input), "holds 2 row(s) but its manifest says");
        }),
        new("resume-no-manifest", "resume", "an existing output without a manifest (another tool, older AlignedGen)", Mismatch, c =>
        {
            c.Write("out.jsonl", Row(0) + "\n");
            Fails<JobMismatchException>(() => c.Relabel(c.Rows("in.jsonl", 3)), "has no manifest");
            Assert.Equal(Row(0) + "\n", File.ReadAllText(c.File("out.jsonl")));
        }),
        new("resume-corrupt-manifest", "resume", "a manifest that is not JSON", "DataFileException naming the manifest", c =>
        {
            var (_, options) = Stopped(c);
            File.WriteAllText(c.File("out.jsonl.manifest.json"), "{ broken");
            Fails<DataFileException>(() => new RelabelJob(options).Run(), "manifest cannot be read");
        }),
        new("resume-corrupt-checkpoint", "resume", "a checkpoint with a corrupt line in the middle", "DataFileException naming the checkpoint line; restart to go on", c =>
        {
            var (_, options) = Stopped(c);
            var checkpoint = RelabelTestKit.Checkpoint(options.OutputPath);
            var lines = File.ReadAllLines(checkpoint);
            lines[1] = "{broken";
            File.WriteAllLines(checkpoint, lines);
            Assert.Equal(2, Fails<DataFileException>(() => new RelabelJob(options).Run(), "checkpoint has a corrupt record").LineNumber);
        }),
        new("resume-torn-checkpoint", "resume", "a checkpoint whose last line was cut by a kill", "the torn bytes are removed (reported) and the run completes", c =>
        {
            var (_, options) = Stopped(c);
            File.AppendAllText(RelabelTestKit.Checkpoint(options.OutputPath), "{\"id\":\"r4\",\"pro");
            var summary = new RelabelJob(options).Run();
            Assert.Equal((4L, 8L, 15L), (summary.RowsAlreadyDone, summary.RowsScored, summary.TornBytesRemoved));
        }),
        new("resume-forced-then-killed", "resume", "a forced restart (Resume = false) killed before its first batch, then resumed", "the old output is never adopted: the resume scores every row with the new job", c =>
        {
            var input = c.Rows("in.jsonl", 8);
            c.Relabel(input, "out.parquet");
            var dies = new FakeRewardSource("new") { BeforeCall = _ => throw new InvalidOperationException("killed") };
            Fails<InvalidOperationException>(() => c.Relabel(input, "out.parquet", o => o with { Resume = false }, dies));
            var summary = c.Relabel(input, "out.parquet", reward: new FakeRewardSource("new"));
            Assert.Equal((0L, 8L), (summary.RowsAlreadyDone, summary.RowsScored));
        }),
        new("merge-misordered-shards", "resume", "shard outputs listed out of order", "DataFileException: the output listed as shard 0 holds shard 1 of 2", c =>
        {
            var input = c.Rows("in.jsonl", 8);
            var options = Options(input, c.File("x.jsonl"));
            var shards = new[] { c.File("s0.jsonl"), c.File("s1.jsonl") };
            for (var i = 0; i < 2; i++) new RelabelJob(options with { OutputPath = shards[i], Shard = new ShardSpec(i, 2) }).Run();
            Fails<DataFileException>(() => DatasetShards.Merge(shards.Reverse().ToArray(), c.File("m.jsonl")), "listed as shard 0 holds shard 1 of 2");
        }),
        new("merge-missing-shard", "resume", "a merge given 2 of 3 shard outputs", "DataFileException: written as shard i of 3, but 2 were given", c =>
        {
            var input = c.Rows("in.jsonl", 9);
            var options = Options(input, c.File("x.jsonl"));
            for (var i = 0; i < 2; i++) new RelabelJob(options with { OutputPath = c.File($"s{i}.jsonl"), Shard = new ShardSpec(i, 3) }).Run();
            Fails<DataFileException>(() => DatasetShards.Merge(new[] { c.File("s0.jsonl"), c.File("s1.jsonl") }, c.File("m.jsonl")), "of 3, but 2 shard output(s) were given");
        }),
        new("merge-shards-of-two-jobs", "resume", "shards run with different rewards", Mismatch, c =>
        {
            var input = c.Rows("in.jsonl", 8);
            var options = Options(input, c.File("x.jsonl"));
            new RelabelJob(options with { OutputPath = c.File("s0.jsonl"), Shard = new ShardSpec(0, 2) }).Run();
            new RelabelJob(options with { OutputPath = c.File("s1.jsonl"), Shard = new ShardSpec(1, 2), Rewards = RewardColumn.For(new FakeRewardSource("other")) }).Run();
            Fails<JobMismatchException>(() => DatasetShards.Merge(new[] { c.File("s0.jsonl"), c.File("s1.jsonl") }, c.File("m.jsonl")), "shard 1 was written by a different job");
        }),
        new("merge-input-edited", "resume", "an input row edited after the shards ran", Mismatch + " (the shard's fingerprint)", c =>
        {
            var input = c.Rows("in.jsonl", 8);
            var options = Options(input, c.File("x.jsonl"));
            var shards = new[] { c.File("s0.jsonl"), c.File("s1.jsonl") };
            for (var i = 0; i < 2; i++) new RelabelJob(options with { OutputPath = shards[i], Shard = new ShardSpec(i, 2) }).Run();
            File.WriteAllText(input, File.ReadAllText(input).Replace("p5", "edited"));
            Fails<JobMismatchException>(() => DatasetShards.Merge(shards, c.File("m.jsonl")), "input rows of shard 1 differ");
            Assert.False(File.Exists(c.File("m.jsonl")));
        }),
    };
}
