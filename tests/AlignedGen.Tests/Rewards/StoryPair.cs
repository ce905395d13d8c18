using System.Text.Json;

namespace AlignedGen.Tests.Rewards;

/// <summary>A row of shared/data/story-pairs.jsonl: prompt and two responses with the LM's token ids.</summary>
public sealed record StoryPair(string Prompt, int[] PromptIds, string Chosen, int[] ChosenIds, string Rejected, int[] RejectedIds)
{
    public static IReadOnlyList<StoryPair> Load(string path, int count)
    {
        var list = new List<StoryPair>();
        foreach (var line in File.ReadLines(path))
        {
            if (list.Count >= count) break;
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            var r = doc.RootElement;
            static int[] Ids(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();
            list.Add(new StoryPair(r.GetProperty("prompt").GetString()!, Ids(r.GetProperty("prompt_ids")),
                r.GetProperty("chosen").GetString()!, Ids(r.GetProperty("chosen_ids")),
                r.GetProperty("rejected").GetString()!, Ids(r.GetProperty("rejected_ids"))));
        }
        return list;
    }
}
