using System.Text.Json;

namespace AlignedGen.Benchmarks;

/// <summary>Reads the first N prompts of a JSONL file with a "prompt" field.</summary>
public static class PromptSet
{
    public static string[] Read(string path, int count)
        => File.ReadLines(path).Where(l => l.Length > 0).Take(count)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("prompt").GetString()!).ToArray();
}
