using AlignedGen.Jobs;
using System.Diagnostics;
using AlignedGen.Data;
using AlignedGen.Relabeling;
using AlignedGen.Tests.Relabeling;
using Xunit;

namespace AlignedGen.Tests.Data;

/// <summary>
/// OutputFile, the one helper every surface writes through: an output that is an input (by path, symbolic link or hard
/// link) or a folder is refused before anything is opened for writing; files appear only complete (temporary file, rename);
/// a failure leaves nothing; a temporary file left by a killed run is cleaned.
/// </summary>
public class SafeOutputTests
{
    private static void HardLink(string target, string link)
    {
        using var ln = Process.Start(new ProcessStartInfo("ln", new[] { target, link }) { UseShellExecute = false })!;
        ln.WaitForExit();
        Assert.Equal(0, ln.ExitCode);
    }

    public static TheoryData<string> LinkKinds => new() { "same path", "relative path", "symbolic link", "hard link", "link to the folder" };

    [Theory]
    [MemberData(nameof(LinkKinds))]
    public void An_output_that_is_the_input_is_refused_whatever_path_names_it(string kind)
    {
        using var dir = new TempFolder();
        var input = dir.File("in.jsonl");
        File.WriteAllText(input, "{\"id\":1}\n");
        var output = kind switch
        {
            "same path" => input,
            "relative path" => Path.Combine(dir.Path, ".", "sub", "..", "in.jsonl"),
            "symbolic link" => File.CreateSymbolicLink(dir.File("link.jsonl"), input).FullName,
            "hard link" => dir.File("hard.jsonl"),
            _ => Path.Combine(Directory.CreateSymbolicLink(dir.File("alias"), dir.Path).FullName, "in.jsonl"),
        };
        if (kind == "hard link") HardLink(input, output);
        var ex = Assert.Throws<DataFileException>(() => OutputFile.Check(output, new[] { input }));
        Assert.Contains("is the same file as the input", ex.Problem);
        Assert.Throws<DataFileException>(() => RecordFiles.CreateAtomicWriter(output, RecordFormat.Jsonl, inputPaths: new[] { input }));
        Assert.Equal("{\"id\":1}\n", File.ReadAllText(input));
        Assert.False(File.Exists(output + ".tmp"));
    }

    [Fact]
    public void A_relabel_job_and_preference_pairs_refuse_a_hard_link_to_their_input()
    {
        using var dir = new TempFolder();
        var (input, _) = RelabelTestKit.Input(dir, 5);
        var before = File.ReadAllBytes(input);
        var link = dir.File("link.jsonl");
        HardLink(input, link);
        Assert.Contains("input file", Assert.Throws<ArgumentException>(() => new RelabelJob(RelabelTestKit.Options(input, link))).Message);
        Assert.Contains("same file as the input", Assert.Throws<DataFileException>(() => PreferencePairs.Build(input, link)).Problem);
        Assert.Equal(before, File.ReadAllBytes(input));
    }

    [Fact]
    public void A_folder_as_output_is_a_clear_error()
    {
        using var dir = new TempFolder();
        var ex = Assert.Throws<DataFileException>(() => OutputFile.Create(dir.Path));
        Assert.Contains("is a folder, not a file", ex.Problem);
        Assert.Contains("out.jsonl", ex.Fix);
        Assert.Contains("is a folder", Assert.Throws<DataFileException>(() => OutputFile.Check(dir.Path + "/new/")).Problem);
    }

    [Fact]
    public void A_write_that_fails_leaves_no_output_and_an_existing_output_unchanged()
    {
        using var dir = new TempFolder();
        var output = dir.File("out.jsonl");
        using (var writer = RecordFiles.CreateAtomicWriter(output))
            writer.Write(new[] { new DataRow { ["id"] = 1 } }); // disposed without Commit: a failure
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(output + ".tmp"));

        File.WriteAllText(output, "old\n");
        using (var writer = RecordFiles.CreateAtomicWriter(output))
        {
            writer.Write(new[] { new DataRow { ["id"] = 2 } });
            Assert.Equal("old\n", File.ReadAllText(output));
            writer.Commit();
        }
        Assert.Equal("{\"id\":2}\n", File.ReadAllText(output));
        Assert.False(File.Exists(output + ".tmp"));
    }

    [Fact]
    public void A_second_writer_of_the_same_output_is_refused_and_a_leftover_temporary_file_is_cleaned()
    {
        using var dir = new TempFolder();
        var output = dir.File("out.parquet");
        using (var first = OutputFile.Create(output))
        {
            var second = Assert.Throws<DataFileException>(() => OutputFile.Create(output));
            Assert.Contains("another process is writing", second.Fix);
            OutputFile.RemoveLeftoverTemp(output);
            Assert.True(File.Exists(output + ".tmp"), "a live writer's temporary file is left alone");
        }

        File.WriteAllText(output + ".tmp", "left by a killed run");
        OutputFile.RemoveLeftoverTemp(output);
        Assert.False(File.Exists(output + ".tmp"));

        // A job cleans its leftovers on its next run.
        var (input, _) = RelabelTestKit.Input(dir, 5);
        File.WriteAllText(output + ".tmp", "left by a killed run");
        new RelabelJob(RelabelTestKit.Options(input, output)).Run();
        Assert.False(File.Exists(output + ".tmp"));
        Assert.Equal(5, SampleRows.ReadAll(output).Count);
    }

    [Fact]
    public void A_merge_into_one_of_its_shards_or_its_input_is_refused()
    {
        using var dir = new TempFolder();
        var (input, _) = RelabelTestKit.Input(dir, 12);
        var options = RelabelTestKit.Options(input, dir.File("unused.jsonl"));
        var shards = new[] { dir.File("a.jsonl"), dir.File("b.jsonl") };
        for (var i = 0; i < 2; i++) new RelabelJob(options with { OutputPath = shards[i], Shard = new AlignedGen.Jobs.ShardSpec(i, 2) }).Run();
        var before = File.ReadAllBytes(shards[1]);
        Assert.Contains("same file as the input", Assert.Throws<DataFileException>(() => ShardMerger.Merge(options, shards, shards[1])).Problem);
        Assert.Contains("same file as the input", Assert.Throws<DataFileException>(() => ShardMerger.Merge(options, shards, input)).Problem);
        Assert.Equal(before, File.ReadAllBytes(shards[1]));
    }
}
