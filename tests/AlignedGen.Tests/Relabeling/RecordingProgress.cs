using AlignedGen.Relabeling;

namespace AlignedGen.Tests.Relabeling;

/// <summary>Collects progress reports synchronously (Progress&lt;T&gt; would post them to the thread pool).</summary>
public sealed class RecordingProgress : IProgress<RelabelProgress>
{
    public List<RelabelProgress> Reports { get; } = new();

    public void Report(RelabelProgress value) => Reports.Add(value);
}
