using System.Text.Json;
using AlignedGen.Rewards;

namespace AlignedGen.Tests.Rewards;

/// <summary>One reference row of a shared reward model's examples.json (reward computed by the model's authors in torch fp32).</summary>
public sealed record RewardExample(string Prompt, string Response, int[]? InputIds, float Reward)
{
    public RewardQuery ToQuery() => new(Prompt, Response);

    /// <summary>The query with the reference ids as the LM's prompt ids (and no response ids): the token-id path scores them verbatim.</summary>
    public RewardQuery ToIdQuery() => new(Prompt, Response) { PromptTokenIds = InputIds, ResponseTokenIds = Array.Empty<int>() };

    public static IReadOnlyList<RewardExample> Load(string modelFolder)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(modelFolder, "examples.json")));
        var list = new List<RewardExample>();
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            int[]? ids = e.TryGetProperty("input_ids", out var idsElement)
                ? idsElement.EnumerateArray().Select(x => x.GetInt32()).ToArray()
                : null;
            list.Add(new RewardExample(e.GetProperty("prompt").GetString()!, e.GetProperty("response").GetString()!, ids, e.GetProperty("reward").GetSingle()));
        }
        return list;
    }
}
