using AlignedGen.Decoding;
using AlignedGen.Generation;
using AlignedGen.Models;

namespace AlignedGen.Tests.RelabelChild;

/// <summary>
/// A generation job a test can kill mid-run. Arguments: prompts, output, model folder, batch size, milliseconds of sleep
/// per batch, and optionally a batch number at which decoding blocks forever after creating "&lt;output&gt;.blocked".
/// Sampling at temperature 0.9 (seed 7, 8 new tokens), so a resumed run is only byte-identical if each row's random draws
/// do not depend on where the run started.
/// </summary>
public static class GenerateChild
{
    public static int Run(string[] args)
    {
        if (args.Length is not (5 or 6))
        {
            Console.Error.WriteLine("usage: AlignedGen.Tests.RelabelChild generate <prompts> <output> <modelFolder> <batchSize> <sleepMsPerBatch> [blockAtBatch]");
            return 2;
        }
        using var model = OnnxCausalLanguageModel.Load(args[2]);
        var strategy = new SlowStrategy(new SamplingStrategy(new SamplingOptions(temperature: 0.9)), int.Parse(args[4]),
            args.Length == 6 ? int.Parse(args[5]) : -1, args[1] + ".blocked");
        var options = new GenerationJobOptions(args[0], args[1], strategy) { Generation = Options(int.Parse(args[3])), WriteTimings = false };
        var summary = new GenerationJob(new TextGenerator(model), options).Run();
        Console.WriteLine($"done already={summary.RowsAlreadyDone} scored={summary.RowsGenerated} torn={summary.TornBytesRemoved}");
        return 0;
    }

    /// <summary>The generation options the child and the tests' clean runs share.</summary>
    public static GenerationOptions Options(int batchSize) => new(maxNewTokens: 8, batchSize: batchSize, seed: 7);

    /// <summary>A strategy that sleeps before each batch and blocks forever at one, so the test can kill the job mid-batch.</summary>
    public sealed class SlowStrategy(IDecodingStrategy inner, int sleepMs, int blockAtBatch, string markerPath) : IDecodingStrategy
    {
        private int _batches;

        public string Name => inner.Name;

        public bool NeedsReward => inner.NeedsReward;

        public IReadOnlyList<DecodingOutcome> Decode(DecodingContext context, SequenceBatch batch, CancellationToken cancellationToken)
        {
            if (_batches++ == blockAtBatch)
            {
                File.WriteAllText(markerPath, "blocked");
                Thread.Sleep(Timeout.Infinite);
            }
            Thread.Sleep(sleepMs);
            return inner.Decode(context, batch, cancellationToken);
        }
    }
}
