using System.Text.Json;

namespace AlignedGen.Tests.Rewards;

/// <summary>A row of shared/data/story-samples.jsonl: a story opening and one sampled continuation.</summary>
public sealed record StorySample(string Prompt, string Response)
{
    public static IReadOnlyList<StorySample> Load(string path, int count)
    {
        var list = new List<StorySample>();
        foreach (var line in File.ReadLines(path))
        {
            if (list.Count >= count) break;
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            list.Add(new StorySample(doc.RootElement.GetProperty("prompt").GetString()!, doc.RootElement.GetProperty("response").GetString()!));
        }
        return list;
    }
}
