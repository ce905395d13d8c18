using System.Text.Json;
using AlignedGen.Decoding;
using AlignedGen.Rewards;

namespace AlignedGen.Cli;

/// <summary>Inputs several commands share: prompts from --prompt / --prompts FILE.jsonl, and rewards from a folder or 'proxy'.</summary>
public static class CliInputs
{
    /// <summary>The reward --reward / --guide / --judge names: a reward-model folder or 'proxy'; null when <paramref name="spec"/> is null.</summary>
    public static RewardReference? Reward(string? spec) => spec is null ? null : RewardReference.Parse(spec);

    /// <summary>The --prompt texts (ids "0", "1", ...) then the rows of the --prompts JSONL file ("prompt" or "instruction", optional "id" and "reference").</summary>
    public static IReadOnlyList<GenerationRequest> ReadRequests(CliArguments a, string command)
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
        if (prompts.Count == 0) throw new ArgumentException($"{command} needs at least one --prompt TEXT or --prompts FILE.jsonl.");
        return prompts;
    }
}
