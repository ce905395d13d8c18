using System.Text.Json;
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
        var requests = ReadRequests(a);
        using var model = OnnxCausalLanguageModel.Load(folder);
        IRewardSource? reward = LoadReward(a.Get("--reward"));
        try
        {
            if (reward is null && StrategyFactory.NeedsReward(strategy))
                throw new ArgumentException($"Strategy '{strategy.Name}' needs --reward (a reward-model folder, or 'proxy').");
            var options = new GenerationOptions(a.GetInt("--max-new-tokens", AlignedGenDefaults.MaxNewTokens), a.GetInt("--batch-size", AlignedGenDefaults.BatchSize),
                a.GetAll("--stop"), seed: a.GetIntOrNull("--seed"));
            var progress = new Progress<GenerationProgress>(p => Console.Error.Write($"\r{p.Completed}/{p.Total} prompts, {p.GeneratedTokens} tokens"));
            var path = a.Get("--output");
            using var writer = path is null ? null : new StreamWriter(path, append: false);
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
            Console.Error.WriteLine();
            return 0;
        }
        finally
        {
            (reward as IDisposable)?.Dispose();
        }
    }

    private static IRewardSource? LoadReward(string? spec) => spec switch
    {
        null => null,
        "proxy" => ProxyRewardSource.CreateDefault(),
        _ => RewardModelLoader.FromFolder(spec),
    };

    private static IReadOnlyList<GenerationRequest> ReadRequests(CliArguments a)
    {
        var prompts = a.GetAll("--prompt").Select((p, i) => new GenerationRequest(p, i.ToString())).ToList();
        var file = a.Get("--prompts");
        if (file is not null)
        {
            if (!File.Exists(file)) throw new ArgumentException($"Prompt file '{file}' does not exist.");
            int line = 0;
            foreach (var text in File.ReadLines(file))
            {
                line++;
                if (string.IsNullOrWhiteSpace(text)) continue;
                try
                {
                    var root = JsonDocument.Parse(text).RootElement;
                    var prompt = root.TryGetProperty("prompt", out var p) ? p.GetString() : root.TryGetProperty("instruction", out var ins) ? ins.GetString() : null;
                    if (prompt is null) throw new ArgumentException($"{file}:{line}: no \"prompt\" (or \"instruction\") field.");
                    string id = root.TryGetProperty("id", out var idv) ? idv.ToString() : line.ToString();
                    prompts.Add(new GenerationRequest(prompt, id, root.TryGetProperty("reference", out var r) ? r.GetString() : null));
                }
                catch (JsonException ex)
                {
                    throw new ArgumentException($"{file}:{line}: not valid JSON ({ex.Message}).");
                }
            }
        }
        if (prompts.Count == 0) throw new ArgumentException("generate needs at least one --prompt TEXT or --prompts FILE.jsonl.");
        return prompts;
    }
}
