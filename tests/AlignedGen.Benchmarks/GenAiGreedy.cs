#if !ALIGNEDGEN_GPU // onnxruntime-genai is referenced in the CPU flavour only
using Genai = Microsoft.ML.OnnxRuntimeGenAI;

namespace AlignedGen.Benchmarks;

/// <summary>onnxruntime-genai's own greedy generator over token ids (no genai tokenizer involved), one batch per chunk of prompts.</summary>
public static class GenAiGreedy
{
    /// <summary>"onnxruntime-genai X.Y.Z", from the referenced package's assembly.</summary>
    public static string Label
    {
        get
        {
            // The managed assembly's version is 0.0.0; the file's product version carries the package's.
            var product = System.Diagnostics.FileVersionInfo.GetVersionInfo(typeof(Genai.Model).Assembly.Location).ProductVersion ?? "?";
            return "onnxruntime-genai " + product.Split('+')[0];
        }
    }

    /// <summary>Generates up to <paramref name="newTokens"/> per prompt (prompts of one chunk must have equal lengths); returns each prompt's new ids up to and excluding EOS.</summary>
    public static int[][] Generate(Genai.Model model, IReadOnlyList<int[]> prompts, int batch, int newTokens, IReadOnlyCollection<int> eos)
    {
        var results = new List<int[]>(prompts.Count);
        foreach (var chunk in prompts.Chunk(batch))
        {
            int width = chunk[0].Length;
            if (chunk.Any(p => p.Length != width))
                throw new ArgumentException("Prompts of one batch must have equal lengths (genai left-pads, which GroupQueryAttention graphs misread).", nameof(prompts));
            using var parameters = new Genai.GeneratorParams(model);
            parameters.SetSearchOption("max_length", width + newTokens);
            parameters.SetSearchOption("batch_size", chunk.Length);
            parameters.SetSearchOption("do_sample", false);
            using var generator = new Genai.Generator(model, parameters);
            generator.AppendTokens(chunk.SelectMany(p => p).ToArray());
            while (!generator.IsDone()) generator.GenerateNextToken();
            for (int i = 0; i < chunk.Length; i++)
            {
                var generated = generator.GetSequence((ulong)i).ToArray()[width..];
                int end = Array.FindIndex(generated, eos.Contains);
                results.Add(end < 0 ? generated : generated[..end]);
            }
        }
        return results.ToArray();
    }
}
#endif
