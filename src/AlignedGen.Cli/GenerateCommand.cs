using System.Text.Json;
using AlignedGen.Data;
using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Cli;

/// <summary>`aligngen generate`: any model folder, any strategy, prompts from the command line or a JSONL file; JSONL out.</summary>
public static class GenerateCommand
{
    public static int Run(CliArguments a, TextWriter output)
    {
        var folder = a.Get("--model") ?? throw new ArgumentException("generate needs --model DIR (a folder with model.onnx, config and tokenizer files).");
        var strategy = StrategyFactory.Create(a);
        var path = a.Get("--output");
        // The output is checked before anything is loaded or opened: not a folder, not the prompts file (links count).
        if (path is not null) OutputFile.Check(path, new[] { a.Get("--prompts") });
        var requests = CliInputs.ReadRequests(a, "generate");
        var execution = ExecutionOptions.Parse(a.Get("--device") ?? "cpu", a.HasFlag("--allow-cpu-fallback"));
        using var model = OnnxCausalLanguageModel.Load(folder, execution);
        if (model.ExecutionReport.Contains("fallback", StringComparison.Ordinal)) Console.Error.WriteLine("warning: running on " + model.ExecutionReport);
        IRewardSource? reward = CliInputs.LoadReward(a.Get("--reward"));
        try
        {
            if (reward is null && StrategyFactory.NeedsReward(strategy))
                throw new ArgumentException($"Strategy '{strategy.Name}' needs --reward (a reward-model folder, or 'proxy').");
            var options = new GenerationOptions(a.GetInt("--max-new-tokens", AlignedGenDefaults.MaxNewTokens), a.GetInt("--batch-size", AlignedGenDefaults.BatchSize),
                a.GetAll("--stop"), seed: a.GetIntOrNull("--seed"));
            var progress = new Progress<GenerationProgress>(p => Console.Error.Write($"\r{p.Completed}/{p.Total} prompts, {p.GeneratedTokens} tokens"));
            using var file = path is null ? null : OutputFile.Create(path, new[] { a.Get("--prompts") });
            var writer = file is null ? null : new StreamWriter(file.Stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
            try
            {
                foreach (var r in new TextGenerator(model, reward).GenerateStream(requests, strategy, options, progress))
                {
                    var line = JsonSerializer.Serialize(new
                    {
                        id = r.Id, prompt = r.Prompt, response = r.Text, reward = r.Reward, strategy = r.Strategy,
                        finish_reason = r.FinishReason.ToString().ToLowerInvariant(), tokens = r.TokenIds.Count,
                        lm_calls = r.Cost.LmCalls, rm_calls = r.Cost.RewardCalls, ms = r.Cost.Elapsed.TotalMilliseconds,
                    });
                    if (writer is null) output.WriteLine(line);
                    else { writer.WriteLine(line); writer.Flush(); }
                }
            }
            finally
            {
                writer?.Dispose(); // once only: a StreamWriter that leaves its stream open flushes it again on every Dispose
            }
            file?.Commit(); // the output appears only complete: a failed run leaves none (and an earlier one unchanged)
            Console.Error.WriteLine();
            return 0;
        }
        finally
        {
            (reward as IDisposable)?.Dispose();
        }
    }
}
