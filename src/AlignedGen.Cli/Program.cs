namespace AlignedGen.Cli;

/// <summary>aligngen — the command line: `demo` (default), `generate` and `compare`.</summary>
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
                "compare" => CompareCommand.Run(parsed, Console.Out),
                "report" => ReportCommand.Run(parsed, Console.Out),
                "help" or "--help" or "-h" => Help(),
                _ => throw new ArgumentException($"Unknown command '{parsed.Command}'. Use 'demo', 'generate', 'compare' or 'report' (see 'aligngen help')."),
            };
        }
        catch (Exception ex) when (ex is ArgumentException or AlignedGen.ModelFolderException or AlignedGen.Rewards.RewardSourceException or AlignedGen.Data.DataFileException or InvalidOperationException or IOException)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return 2;
        }
    }

    private static int Help()
    {
        Console.WriteLine(HelpText);
        return 0;
    }

    /// <summary>What 'aligngen help' prints.</summary>
    public static string HelpText => """
            aligngen demo [--prompts N] [--max-new-tokens N] [--seed N] [--w 1000]
                Runs greedy, sampling, Best-of-4 and ARGS on the embedded tiny demo model, guided by the proxy reward,
                and prints a comparison table. Needs no download.
            aligngen generate --model DIR --prompt TEXT [--prompt TEXT ...] | --prompts FILE.jsonl
                     [--strategy greedy|sample|args|args-stochastic|best-of-n] [--reward DIR|proxy]
                     [--k 10] [--w 1.0] [--n 4] [--temperature 0.7] [--top-p 1] [--max-new-tokens 128]
                     [--batch-size 16] [--seed N] [--stop TEXT] [--output FILE.jsonl]
                     [--device cpu|cuda|cuda:N] [--allow-cpu-fallback]
                Generates with any ONNX model folder (Optimum or onnxruntime-genai layout). --device cuda needs the GPU
                build (docs/gpu.md); when CUDA cannot be used it stops with exit code 2, or with --allow-cpu-fallback
                runs on the CPU and says so on stderr.
            aligngen compare --model DIR --guide DIR|proxy --judge DIR|proxy --prompts FILE.jsonl --output DIR
                     [--limit N] [--setting SPEC ...] [--baseline LABEL] [--max-new-tokens 64] [--batch-size 16]
                     [--seed N] [--tie-margin 0] [--no-fluency] [--no-coherence] [--no-report] [--title TEXT] [--examples 5]
                Runs several strategies over one prompt set (models loaded once), measures every response (reward under
                the guiding and the held-out --judge reward, win/tie/loss against the baseline (default: the first
                setting), diversity, coherence, fluency, length, cost), prints the summary table and writes DIR/
                (comparison.json, responses/*.jsonl, summary.md, summary.csv) with the HTML report (report.html and
                charts/*.png; leave it out with --no-report). A SPEC is a strategy name and
                key=value pairs, e.g. --setting "args w=1.5 k=10". Without --setting it runs the default sweep:
            """ + Environment.NewLine + Indent(string.Join(", ", AlignedGen.Evaluation.ComparisonSettingSpec.DefaultSweepSpecs)) + Environment.NewLine
            + "    Setting names and keys (defaults in brackets):" + Environment.NewLine + Indent(AlignedGen.Evaluation.ComparisonSettingSpec.Syntax) + Environment.NewLine
            + """
                aligngen report --input DIR [--output DIR] [--title TEXT] [--examples 5]
                    (Re)draws the HTML report (report.html + charts/*.png) of a comparison folder written by 'compare'.
            """;

    private static string Indent(string lines) => string.Join(Environment.NewLine, lines.Split(Environment.NewLine).Select(l => "        " + l));
}
