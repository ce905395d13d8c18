using System.Text;
using AlignedGen.Data;
using AlignedGen.Relabeling;
using AlignedGen.Tests.Data;
using AlignedGen.Tests.Relabeling;
using Xunit;

namespace AlignedGen.Tests.Hostile;

/// <summary>
/// One hostile input and what it must get. <see cref="Outcome"/> is the documented behaviour (docs/reliability.md lists
/// every case with it); <see cref="Run"/> sets the case up in a fresh folder and asserts that behaviour.
/// </summary>
public sealed record HostileCase(string Id, string Area, string Input, string Outcome, Action<HostileContext> Run)
{
    public override string ToString() => Id;
}

/// <summary>A fresh folder and the helpers the cases share: files, a relabel job with a length reward, error checks.</summary>
public sealed class HostileContext : IDisposable
{
    private readonly TempFolder _dir = new();

    public string File(string name) => _dir.File(name);

    public string Folder => _dir.Path;

    /// <summary>A good JSONL row: {"id":"r{i}","prompt":"p{i}","response":"response {i}"}.</summary>
    public static string Row(int i) => $"{{\"id\":\"r{i}\",\"prompt\":\"p{i}\",\"response\":\"response {i}\"}}";

    /// <summary>Writes text (UTF-8, no BOM) and returns the path.</summary>
    public string Write(string name, string text) => WriteBytes(name, Encoding.UTF8.GetBytes(text));

    public string WriteBytes(string name, byte[] bytes)
    {
        var path = File(name);
        System.IO.File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Writes good rows 0..n-1 as JSONL.</summary>
    public string Rows(string name, int n) => Write(name, string.Concat(Enumerable.Range(0, n).Select(i => Row(i) + "\n")));

    public static RelabelOptions Options(string input, string output, FakeRewardSource? reward = null) =>
        RelabelTestKit.Options(input, output, reward, batchSize: 4);

    public RelabelSummary Relabel(string input, string outputName = "out.jsonl", Func<RelabelOptions, RelabelOptions>? configure = null, FakeRewardSource? reward = null)
    {
        var options = Options(input, File(outputName), reward);
        return new RelabelJob(configure?.Invoke(options) ?? options).Run();
    }

    public List<DataRow> ReadAll(string path, RecordReaderOptions? options = null) => SampleRows.ReadAll(path, options: options);

    /// <summary>Asserts <paramref name="action"/> throws <typeparamref name="T"/> (or a subclass) whose message holds every fragment.</summary>
    public static T Fails<T>(Action action, params string[] fragments) where T : Exception
    {
        var ex = Assert.IsAssignableFrom<T>(Record.Exception(action));
        foreach (var f in fragments) Assert.Contains(f, ex.Message);
        return ex;
    }

    public void Dispose() => _dir.Dispose();
}
