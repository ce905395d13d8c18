using AlignedGen.Decoding;
using AlignedGen.Rewards;
using AlignedGen.ML;
using AlignedGen.ModelBuilding;
using Microsoft.ML;

namespace ArgsOverJsonl;

/// <summary>
/// Loads a JSONL prompt file into an IDataView, runs ARGS guided by the proxy reward (length, repetition, MiniLM relevance)
/// through <c>mlContext.Transforms.Text.ApplyRewardGuidedDecoding</c>, and writes prompt, response, reward, token count
/// and finish reason to the output file (JSONL, CSV/TSV or Parquet by extension).
/// </summary>
public static class Program
{
    /// <summary>Entry point; returns 0 on success, 2 on bad arguments.</summary>
    public static int Main(string[] args)
    {
        Environment.SetEnvironmentVariable("ORT_DISABLE_TELEMETRY", "1");
        ExampleSettings settings;
        try
        {
            settings = ExampleSettings.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine("usage: ArgsOverJsonl INPUT.jsonl OUTPUT.(jsonl|csv|parquet) [--model DIR] [--prompt-column prompt] [--max-new-tokens 32] [--top-k 10] [--weight 1.0] [--batch-size 8]");
            return 2;
        }
        long rows = Run(settings, Console.Out);
        Console.WriteLine($"wrote {rows} rows to {settings.Output}");
        return 0;
    }

    /// <summary>Runs the pipeline; returns the number of rows written.</summary>
    public static long Run(ExampleSettings settings, TextWriter log)
    {
        var mlContext = new MLContext(seed: 0);
        var modelFolder = settings.ModelFolder ?? DefaultModels.EnsureDemoModel();
        var prompts = mlContext.Data.LoadFromRecordFile(settings.Input);

        var options = new RewardGuidedDecodingOptions(modelFolder, RewardReference.Proxy(), new ArgsOptions(topK: settings.TopK, weight: settings.Weight))
        {
            Generation = new GenerationOptions(maxNewTokens: settings.MaxNewTokens, batchSize: settings.BatchSize, seed: 0),
            TokenCountColumnName = "TokenCount",
            FinishReasonColumnName = "FinishReason",
            Progress = new LogProgress(log),
        };
        var estimator = mlContext.Transforms.Text.ApplyRewardGuidedDecoding("Response", settings.PromptColumn, options);
        using var transformer = estimator.Fit(prompts);
        log.WriteLine($"ARGS k={settings.TopK} w={settings.Weight} over {modelFolder} with the proxy reward");
        var results = transformer.Transform(prompts);
        return mlContext.Data.SaveAsRecordFile(results, settings.Output, new RecordFileSaveOptions
        {
            Columns = new[] { settings.PromptColumn, "Response", "Reward", "TokenCount", "FinishReason" },
        });
    }

    /// <summary>Writes each batch's progress to the log, synchronously.</summary>
    private sealed class LogProgress(TextWriter log) : IProgress<GenerationProgress>
    {
        public void Report(GenerationProgress value) => log.WriteLine($"  {value.Completed} prompts, {value.GeneratedTokens} tokens, {value.Elapsed.TotalSeconds:F1} s");
    }
}
