using System.Diagnostics;
using Xunit;
using Xunit.Abstractions;

namespace AlignedGen.Tests.Tokenization;

/// <summary>
/// Decode runs per generated token (stop strings) and Encode per prompt: both must stay far below a millisecond.
/// Timings take the best of several batches, so a busy machine (parallel tests, other builds) does not fail the test;
/// the bounds are loose because tests run a Debug build (JIT optimizations off), they catch pathological regressions
/// (e.g. the merge-table hash collisions that once made Llama encoding 10x slower). Release numbers: see the report.
/// </summary>
public class TokenizerPerformanceTests(ITestOutputHelper output)
{
    private static double BestMicros(int batches, int perBatch, Action action)
    {
        var best = double.MaxValue;
        for (var b = 0; b < batches; b++)
        {
            var sw = Stopwatch.StartNew();
            for (var i = 0; i < perBatch; i++) action();
            best = Math.Min(best, sw.Elapsed.TotalMicroseconds / perBatch);
        }
        return best;
    }

    [SkippableTheory]
    [InlineData("gpt2")]
    [InlineData("tiny-random-llama")]
    [InlineData("rm-wordpiece")]
    public void DecodeAndEncode_AreMicroseconds(string name)
    {
        var tok = TokenizerJsonOracleTests.Load(name);
        var text = string.Concat(Enumerable.Repeat("Once upon a time, there was a little girl named Lily. She loved to play outside! ", 20));
        var ids = tok.Encode(text, addSpecialTokens: false).Take(300).ToArray();
        Assert.Equal(300, ids.Length);
        var prompt = text[..1000];
        var n = 0;

        var decodeMicros = BestMicros(20, 50, () => tok.Decode(ids));
        var encodeMicros = BestMicros(10, 5, () => tok.Encode(prompt + n++));

        output.WriteLine($"{name}: Decode(300 ids) {decodeMicros:F1} µs, Encode({prompt.Length} chars) {encodeMicros:F1} µs");
        Assert.True(decodeMicros < 2000, $"Decode of 300 ids took {decodeMicros:F1} µs");
        Assert.True(encodeMicros < 20000, $"Encode of {prompt.Length} chars took {encodeMicros:F1} µs");
    }
}
