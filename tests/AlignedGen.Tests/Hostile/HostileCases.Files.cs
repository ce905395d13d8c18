using AlignedGen.Jobs;
using System.Diagnostics;
using AlignedGen.Data;
using AlignedGen.Relabeling;
using AlignedGen.Tests.Data;
using Parquet;
using Parquet.Schema;
using Xunit;
using static AlignedGen.Tests.Hostile.HostileContext;

namespace AlignedGen.Tests.Hostile;

/// <summary>Broken Parquet files and hostile paths.</summary>
public static partial class HostileCases
{
    private static string GoodParquet(HostileContext c, int rows)
    {
        var path = c.File("good.parquet");
        SampleRows.Write(path, Enumerable.Range(0, rows).Select(i => new DataRow { ["id"] = $"r{i}", ["prompt"] = "p", ["response"] = $"response {i}" }).ToArray());
        return path;
    }

    private static void HardLink(string target, string link)
    {
        using var ln = Process.Start(new ProcessStartInfo("ln", new[] { target, link }) { UseShellExecute = false })!;
        ln.WaitForExit();
        Assert.Equal(0, ln.ExitCode);
    }

    private static IEnumerable<HostileCase> Files() => new HostileCase[]
    {
        new("parquet-truncated", "Parquet", "a Parquet file cut in half", "DataFileException: not a readable Parquet file (check it is complete)", c =>
        {
            var bytes = File.ReadAllBytes(GoodParquet(c, 20));
            Fails<DataFileException>(() => c.Relabel(c.WriteBytes("in.parquet", bytes[..(bytes.Length / 2)])), "not a readable Parquet file");
        }),
        new("parquet-not-parquet", "Parquet", "a JSONL file named .parquet", "DataFileException: not a readable Parquet file", c =>
            Fails<DataFileException>(() => c.Relabel(c.Rows("in.parquet", 3)), "not a readable Parquet file")),
        new("parquet-empty-file", "Parquet", "a 0-byte .parquet file", "DataFileException: not a readable Parquet file", c =>
            Fails<DataFileException>(() => c.Relabel(c.Write("in.parquet", "")), "not a readable Parquet file")),
        new("parquet-struct-column", "Parquet", "a struct column", "DataFileException naming the column (flatten it or convert to JSONL)", c =>
        {
            var inner = new DataField<int>("a");
            var id = new DataField<string>("id");
            var schema = new ParquetSchema(id, new StructField("s", inner));
            var path = c.File("in.parquet");
            // No rows needed: the reader checks the schema before reading any data.
            using (var stream = File.Create(path))
                Task.Run(async () =>
                {
                    await using var writer = await ParquetWriter.CreateAsync(schema, stream);
                }).GetAwaiter().GetResult();
            Fails<DataFileException>(() => c.Relabel(path), "column 's' is a struct column");
        }),
        new("parquet-missing-columns", "Parquet", "a schema without the response column", "MissingColumnsException before anything is written", c =>
        {
            var path = c.File("in.parquet");
            SampleRows.Write(path, new[] { new DataRow { ["id"] = "r0", ["prompt"] = "p" } });
            Fails<MissingColumnsException>(() => c.Relabel(path), "response");
        }),
        new("parquet-zero-rows", "Parquet", "a valid file with no rows", "a complete, empty output", c =>
        {
            var path = c.File("in.parquet");
            using (var writer = RecordFiles.CreateWriter(path, options: new RecordWriterOptions { Schema = RecordSchema.Infer(new[] { new DataRow { ["id"] = "", ["prompt"] = "", ["response"] = "" } }) })) { }
            Assert.Equal(0, c.Relabel(path, "out.parquet").RowsScored);
            Assert.Empty(c.ReadAll(c.File("out.parquet")));
        }),
        new("path-input-missing", "paths", "an input path that does not exist", "DataFileException: the file does not exist (before any output)", c =>
        {
            Fails<DataFileException>(() => c.Relabel(c.File("nope.jsonl")), "does not exist");
            Assert.Empty(Directory.GetFiles(c.Folder));
        }),
        new("path-input-is-folder", "paths", "a folder given as the input", "DataFileException: cannot be read", c =>
        {
            Directory.CreateDirectory(c.File("dir.jsonl"));
            Fails<DataFileException>(() => c.Relabel(c.File("dir.jsonl")), "cannot be read");
        }),
        new("path-output-is-input", "paths", "the output path equal to the input (also as ./x/../in.jsonl)", "refused before anything is opened; the input is unchanged", c =>
        {
            var input = c.Rows("in.jsonl", 3);
            Fails<ArgumentException>(() => c.Relabel(input, "sub/../in.jsonl"), "is the input file");
            Assert.Equal(3, File.ReadAllLines(input).Length);
        }),
        new("path-output-symlink-to-input", "paths", "an output that is a symbolic link to the input", "refused before anything is opened; the input is unchanged", c =>
        {
            var input = c.Rows("in.jsonl", 3);
            File.CreateSymbolicLink(c.File("link.jsonl"), input);
            Fails<ArgumentException>(() => c.Relabel(input, "link.jsonl"), "is the input file");
            Assert.Equal(3, File.ReadAllLines(input).Length);
        }),
        new("path-output-hardlink-to-input", "paths", "an output that is a hard link to the input", "refused (compared by device and inode); the input is unchanged", c =>
        {
            var input = c.Rows("in.jsonl", 3);
            HardLink(input, c.File("hard.jsonl"));
            Fails<DataFileException>(() => PreferencePairs.Build(input, c.File("hard.jsonl")), "same file as the input");
            Fails<ArgumentException>(() => c.Relabel(input, "hard.jsonl"), "is the input file");
            Assert.Equal(3, File.ReadAllLines(input).Length);
        }),
        new("path-output-is-folder", "paths", "an output path that is a folder", "DataFileException: is a folder, not a file (nothing scored)", c =>
        {
            Directory.CreateDirectory(c.File("out.jsonl"));
            var reward = new Relabeling.FakeRewardSource();
            Fails<DataFileException>(() => c.Relabel(c.Rows("in.jsonl", 3), reward: reward), "is a folder");
            Assert.Empty(reward.Seen);
        }),
        new("path-output-under-file", "paths", "an output path under a regular file (`plain.txt/out.jsonl`)", "DataFileException: cannot be written", c =>
        {
            c.Write("plain.txt", "x");
            Fails<DataFileException>(() => c.Relabel(c.Rows("in.jsonl", 3), "plain.txt/out.jsonl"), "cannot be written");
        }),
        new("path-output-new-folder", "paths", "an output in a folder that does not exist yet", "the folder is created", c =>
        {
            c.Relabel(c.Rows("in.jsonl", 3), "a/b/out.jsonl");
            Assert.Equal(3, File.ReadAllLines(c.File("a/b/out.jsonl")).Length);
        }),
        new("path-unknown-extension", "paths", "an input or output with an unknown extension", "ArgumentException naming the setting (InputFormat / OutputFormat)", c =>
        {
            Fails<ArgumentException>(() => c.Relabel(c.Rows("in.json", 3)), "InputFormat");
            Fails<ArgumentException>(() => c.Relabel(c.Rows("in.jsonl", 3), "out.txt"), "OutputFormat");
        }),
        new("path-leftover-temp", "paths", "temporary files left by a killed run (`out.parquet.tmp`, manifest `.tmp`)", "removed by the next run", c =>
        {
            c.Write("out.parquet.tmp", "junk");
            c.Write("out.parquet.manifest.json.tmp", "junk");
            c.Relabel(c.Rows("in.jsonl", 3), "out.parquet");
            Assert.False(File.Exists(c.File("out.parquet.tmp")) || File.Exists(c.File("out.parquet.manifest.json.tmp")));
        }),
        new("path-failed-run-no-output", "paths", "a run whose reward fails on the first batch", "no output file (not even an empty one); the checkpoint and manifest allow a resume", c =>
        {
            var failing = new Relabeling.FakeRewardSource { BeforeCall = _ => throw new InvalidOperationException("reward down") };
            Fails<InvalidOperationException>(() => c.Relabel(c.Rows("in.jsonl", 3), reward: failing), "reward down");
            Assert.False(File.Exists(c.File("out.jsonl")));
            Assert.True(File.Exists(c.File("out.jsonl.manifest.json")));
        }),
        new("path-merge-into-shard", "paths", "a merge whose output is one of the shards", "refused; the shard is unchanged", c =>
        {
            var input = c.Rows("in.jsonl", 6);
            var options = Options(input, c.File("x.jsonl"));
            var shards = new[] { c.File("s0.jsonl"), c.File("s1.jsonl") };
            for (var i = 0; i < 2; i++) new RelabelJob(options with { OutputPath = shards[i], Shard = new Jobs.ShardSpec(i, 2) }).Run();
            Fails<DataFileException>(() => ShardMerger.Merge(options, shards, shards[0]), "same file as the input");
            Assert.Equal(3, File.ReadAllLines(shards[0]).Length);
        }),
    };
}
