using AlignedGen.Decoding;

namespace AlignedGen.ML.Tests;

/// <summary>Counts progress reports (one per decoded batch), synchronously.</summary>
internal sealed class CountingProgress : IProgress<GenerationProgress>
{
    private int _reports;

    public int Reports => _reports;

    public void Report(GenerationProgress value) => Interlocked.Increment(ref _reports);
}
