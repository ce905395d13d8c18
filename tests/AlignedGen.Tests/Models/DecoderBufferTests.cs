using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Xunit;

namespace AlignedGen.Tests.Models;

/// <summary>
/// The decoder state's buffer paths — outputs written into pinned, reused buffers, and GroupQueryAttention's shared
/// past/present buffer — must give bit-identical outputs to plain ONNX Runtime calls that allocate every output.
/// </summary>
public class DecoderBufferTests
{
    private static readonly int[] OnceUponATime = { 1, 403, 407, 261, 378 };

    private static OnnxCausalLanguageModel LoadShared(string name, int vocab)
        => OnnxCausalLanguageModel.Load(SharedFolder.Require("models", name), new IdTokenizer(vocab, 1, 2));

    [SkippableTheory]
    [InlineData("stories260K", 512, false)]
    [InlineData("tiny-random-llama-fp32", 32000, false)]
    [InlineData("tiny-random-llama-fp16", 32000, false)]
    [InlineData("tiny-random-llama-fp32-gqa", 32000, true)]
    public void Greedy_steps_give_the_same_bits_as_plain_session_runs(string name, int vocab, bool gqa)
    {
        using var model = LoadShared(name, vocab);
        using var state = model.CreateState(shareBuffers: true);
        Assert.Equal(gqa, state.SharesBuffers);
        // 40 steps after a 5-token prompt: a shared buffer outgrows its first capacity (prompt + 32) on the way.
        var reference = PlainSessionGreedy(model.Folder, OnceUponATime, steps: 40);
        state.Extend(new[] { OnceUponATime });
        for (int step = 0; ; step++)
        {
            Assert.True(reference[step].AsSpan().SequenceEqual(state.Output(0)), $"{name}: logits differ after {OnceUponATime.Length + step} tokens");
            if (step == reference.Count - 1) break;
            state.Step(new[] { TokenSampler.ArgMax(reference[step]) });
        }
    }

    [SkippableFact]
    public void Shared_gqa_buffers_equal_separate_buffers_through_padding_growth_forks_copies_and_refills()
    {
        using var model = LoadShared("tiny-random-llama-fp32-gqa", 32000);
        using var shared = model.CreateState(shareBuffers: true);
        using var separate = model.CreateState(shareBuffers: false);
        Assert.True(shared.SharesBuffers);
        Assert.False(separate.SharesBuffers);
        var pair = new[] { shared, separate };

        void Same(string what)
        {
            Assert.Equal(separate.RowCount, shared.RowCount);
            Assert.Equal(separate.CacheLength, shared.CacheLength);
            for (int r = 0; r < shared.RowCount; r++)
            {
                Assert.Equal(separate.Length(r), shared.Length(r));
                Assert.True(separate.Output(r).SequenceEqual(shared.Output(r)), $"{what}: row {r} differs");
            }
        }
        void Greedy(int steps, string what)
        {
            for (int i = 0; i < steps; i++)
            {
                var next = Enumerable.Range(0, shared.RowCount).Select(r => TokenSampler.ArgMax(separate.Output(r))).ToArray();
                foreach (var s in pair) s.Step(next);
                Same($"{what}, step {i}");
            }
        }

        var rows = new[] { new[] { 1, 3, 4, 5 }, new[] { 1, 6, 7, 8, 9, 10, 11 }, new[] { 1, 7 } };
        foreach (var s in pair) s.Extend(rows);
        Same("ragged prefill");
        Greedy(36, "past the first capacity");

        foreach (var s in pair) s.SelectRows(new[] { 2, 0, 0 });
        Same("fork and drop");
        foreach (var s in pair) s.Step(new[] { 11, 12, 13 });
        foreach (var s in pair) s.CopyLastPosition(new[] { 0, 1, 1 });
        Same("copy last position");
        Greedy(2, "after the copy");

        var longer = Enumerable.Range(0, 60).Select(i => 1 + i % 50).ToArray();
        foreach (var s in pair) s.Refill(new[] { 1 }, new[] { longer });
        Same("refill longer than the cache");
        Greedy(3, "after the refill");
    }

    /// <summary>
    /// Batch-1 greedy decoding with plain <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>:
    /// ONNX Runtime allocates every output; presents are fed back as pasts. Returns the last-position logits after the
    /// prompt and after each of <paramref name="steps"/> greedy tokens.
    /// </summary>
    private static List<float[]> PlainSessionGreedy(string folder, int[] prompt, int steps)
    {
        using var session = OnnxSessionFactory.Create(Path.Combine(folder, "model.onnx"), ExecutionOptions.Default, out _);
        var pastNames = session.InputMetadata.Keys.Where(k => k.StartsWith("past_key_values.", StringComparison.Ordinal)).ToList();
        var inputNames = new List<string> { "input_ids", "attention_mask" };
        bool hasPositions = session.InputMetadata.ContainsKey("position_ids");
        if (hasPositions) inputNames.Add("position_ids");
        inputNames.AddRange(pastNames);
        var outputNames = new List<string> { "logits" };
        outputNames.AddRange(pastNames.Select(n => n.Replace("past_key_values.", "present.")));
        var meta = session.InputMetadata[pastNames[0]];
        var cacheType = meta.ElementDataType;
        var past = pastNames.Select(_ => OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, cacheType, new long[] { 1, meta.Dimensions[1], 0, meta.Dimensions[3] })).ToArray();
        var tokens = prompt.ToList();
        var result = new List<float[]>();
        using var runOptions = new RunOptions();
        try
        {
            int fed = 0;
            while (true)
            {
                var chunk = tokens.Skip(fed).Select(t => (long)t).ToArray();
                var inputs = new List<OrtValue>
                {
                    OrtValue.CreateTensorValueFromMemory(chunk, new long[] { 1, chunk.Length }),
                    OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(1L, tokens.Count).ToArray(), new long[] { 1, tokens.Count }),
                };
                if (hasPositions) inputs.Add(OrtValue.CreateTensorValueFromMemory(Enumerable.Range(fed, chunk.Length).Select(p => (long)p).ToArray(), new long[] { 1, chunk.Length }));
                using var outputs = session.Run(runOptions, inputNames, inputs.Concat(past).ToArray(), outputNames);
                foreach (var v in inputs) v.Dispose();
                result.Add(LastLogits(outputs[0], chunk.Length));
                for (int i = 0; i < past.Length; i++)
                {
                    past[i].Dispose();
                    past[i] = Copy(outputs[1 + i]);
                }
                fed = tokens.Count;
                if (result.Count == steps + 1) return result;
                tokens.Add(TokenSampler.ArgMax(result[^1]));
            }
        }
        finally
        {
            foreach (var v in past) v.Dispose();
        }
    }

    private static OrtValue Copy(OrtValue source)
    {
        var info = source.GetTensorTypeAndShape();
        var copy = OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, info.ElementDataType, info.Shape);
        source.GetTensorMutableRawData().CopyTo(copy.GetTensorMutableRawData());
        return copy;
    }

    private static float[] LastLogits(OrtValue logits, int chunk)
    {
        var info = logits.GetTensorTypeAndShape();
        int width = (int)info.Shape[^1];
        int start = (chunk - 1) * width;
        return info.ElementDataType == TensorElementType.Float16
            ? logits.GetTensorDataAsSpan<Float16>().Slice(start, width).ToArray().Select(h => (float)h).ToArray()
            : logits.GetTensorDataAsSpan<float>().Slice(start, width).ToArray();
    }
}
