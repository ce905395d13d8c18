using System.Diagnostics;
using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;

namespace AlignedGen.Benchmarks;

/// <summary>
/// build/gpu-check.sh's measurements (issues 12 and 19): each model folder on the CPU and on CUDA device 0 (no
/// fallback), same prompts: greedy tokens (must be identical for fp32), the largest prefill-logit difference (fp16 is
/// held to a tolerance instead) and tokens/s on each device. Needs the GPU flavour and a GPU; never run where this was
/// written (no GPU was lent), so the thresholds below are the plan, not a measured fact.
/// </summary>
public static class GpuCheck
{
    /// <summary>fp16 logits may differ from fp32-on-CPU by this much (absolute, on logits of magnitude ~10).</summary>
    private const double Fp16LogitTolerance = 5e-2;

    public static int Run(BenchmarkArgs args)
    {
        var folders = new List<(string Name, string Folder)> { ("stories260K (fp32)", args.Model("stories260K")) };
        if (Directory.Exists(args.Model("tiny-random-llama-fp16"))) folders.Add(("tiny-random-llama (fp16)", args.Model("tiny-random-llama-fp16")));
        // Issue 12: the ~0.5B preset (random weights, GroupQueryAttention graph) in fp32 and fp16, built into the model
        // cache on first use (about a minute each); --quick leaves them out.
        if (!args.Quick)
        {
            foreach (var (format, label) in new[] { (WeightFormat.Float32, "fp32"), (WeightFormat.Float16, "fp16") })
                folders.Add(($"qwen2.5-0.5b ({label})", BuiltModelCache.EnsurePreset("qwen2.5-0.5b", GraphStyle.GenAi, format, sharedRoot: args.SharedPath)));
        }
        foreach (var extra in (Environment.GetEnvironmentVariable("ALIGNEDGEN_GPU_CHECK_MODELS") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            folders.Add((Path.GetFileName(extra.TrimEnd('/')), extra));

        var prompts = PromptSet.Read(args.Data("story-prompts.jsonl"), args.Quick ? 4 : 16).Select((p, i) => new GenerationRequest(p, i.ToString())).ToArray();
        var options = new GenerationOptions(maxNewTokens: 32, batchSize: prompts.Length);
        var table = new ResultTable("model", "precision", "tokens", "identical tokens", "max |logit diff|", "verdict", "CPU tok/s", "CUDA tok/s");
        var rc = 0;
        foreach (var (name, folder) in folders)
        {
            using var cpu = OnnxCausalLanguageModel.Load(folder);
            using var cuda = OnnxCausalLanguageModel.Load(folder, new ExecutionOptions(ExecutionDevice.Cuda, deviceId: 0));
            var fp16 = cuda.CacheElementType == "Float16";
            var (cpuTokens, cpuRate) = Greedy(cpu, prompts, options);
            var (cudaTokens, cudaRate) = Greedy(cuda, prompts, options);
            int same = cpuTokens.Zip(cudaTokens).Count(p => p.First.SequenceEqual(p.Second));
            var diff = PrefillLogitDifference(cpu, cuda, prompts.Select(p => cpu.Tokenizer.Encode(p.Prompt, addSpecialTokens: true)).ToArray());
            var ok = fp16 ? diff <= Fp16LogitTolerance : same == prompts.Length;
            if (!ok) rc = 1;
            table.Add(name, fp16 ? "fp16" : "fp32", cpuTokens.Sum(t => t.Length), $"{same}/{prompts.Length}", $"{diff:G3}",
                ok ? "ok" : fp16 ? $"FAIL (> {Fp16LogitTolerance})" : "FAIL (tokens differ)", $"{cpuRate:F0}", $"{cudaRate:F0}");
        }
        Console.WriteLine($"gpu-check: CUDA device 0 ({DeviceMemoryLine()}), {prompts.Length} prompts x 32 new tokens, greedy");
        Console.WriteLine(table);
        return rc;
    }

    private static string DeviceMemoryLine()
        => CudaDeviceMemory.TryRead(0, out var reason) is { } m ? $"{m.FreeBytes / (1 << 20)} MiB free of {m.TotalBytes / (1 << 20)} MiB" : reason ?? "memory unknown";

    private static (int[][] Tokens, double Rate) Greedy(OnnxCausalLanguageModel model, GenerationRequest[] prompts, GenerationOptions options)
    {
        var watch = Stopwatch.StartNew();
        var results = new TextGenerator(model).Generate(prompts, new SamplingStrategy(SamplingOptions.Greedy), options);
        var tokens = results.Select(r => r.TokenIds.ToArray()).ToArray();
        return (tokens, tokens.Sum(t => t.Length) / watch.Elapsed.TotalSeconds);
    }

    private static double PrefillLogitDifference(OnnxCausalLanguageModel cpu, OnnxCausalLanguageModel cuda, IReadOnlyList<int>[] prompts)
    {
        using var a = cpu.CreateState();
        using var b = cuda.CreateState();
        a.Extend(prompts);
        b.Extend(prompts);
        double max = 0;
        for (int row = 0; row < prompts.Length; row++)
        {
            var x = a.Output(row);
            var y = b.Output(row);
            for (int i = 0; i < x.Length; i++) max = Math.Max(max, Math.Abs(x[i] - y[i]));
        }
        return max;
    }
}
