namespace AlignedGen.Cli;

/// <summary>aligngen — the command line: `demo` (default) and `generate`.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Environment.SetEnvironmentVariable("ORT_DISABLE_TELEMETRY", Environment.GetEnvironmentVariable("ORT_DISABLE_TELEMETRY") ?? "1");
        try
        {
            var parsed = CliArguments.Parse(args);
            return parsed.Command switch
            {
                "demo" => DemoCommand.Run(parsed, Console.Out),
                "generate" => GenerateCommand.Run(parsed, Console.Out),
                "help" or "--help" or "-h" => Help(),
                _ => throw new ArgumentException($"Unknown command '{parsed.Command}'. Use 'demo' or 'generate' (see 'aligngen help')."),
            };
        }
        catch (Exception ex) when (ex is ArgumentException or AlignedGen.Models.ModelFolderException or AlignedGen.Rewards.RewardSourceException or InvalidOperationException or IOException)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return 2;
        }
    }

    private static int Help()
    {
        Console.WriteLine("""
            aligngen demo [--prompts N] [--max-new-tokens N] [--seed N] [--w 1000]
                Runs greedy, sampling, Best-of-4 and ARGS on the embedded tiny demo model, guided by the proxy reward,
                and prints a comparison table. Needs no download.
            aligngen generate --model DIR --prompt TEXT [--prompt TEXT ...] | --prompts FILE.jsonl
                     [--strategy greedy|sample|args|args-stochastic|best-of-n] [--reward DIR|proxy]
                     [--k 10] [--w 1.0] [--n 4] [--temperature 0.7] [--top-p 1] [--max-new-tokens 128]
                     [--batch-size 16] [--seed N] [--stop TEXT] [--output FILE.jsonl]
                Generates with any ONNX model folder (Optimum or onnxruntime-genai layout).
            """);
        return 0;
    }
}
