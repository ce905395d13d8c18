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
        var strategy = StrategyFactory.Create(a).CreateStrategy();
        var requests = CliInputs.ReadRequests(a, "generate");
        var rewardReference = CliInputs.Reward(a.Get("--reward"));
        if (rewardReference is null && strategy.NeedsReward)
            throw new ArgumentException($"Strategy '{strategy.Name}' needs --reward (a reward-model folder, or 'proxy').");
        using var opened = new OpenedSources();
        var model = opened.Own(OnnxCausalLanguageModel.Load(folder));
        var reward = opened.OpenOrNull(rewardReference);
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
}
