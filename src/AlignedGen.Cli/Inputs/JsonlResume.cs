using System.Text.Json;

namespace AlignedGen.Cli.Inputs;

/// <summary>
/// Resuming a JSONL output of `generate`: the ids of the complete lines already written (a torn last line from a
/// killed run is cut off), so the run can skip those prompts and append the rest.
/// </summary>
public static class JsonlResume
{
    public static HashSet<string> DoneIds(string path)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        if (!File.Exists(path)) return done;
        var bytes = File.ReadAllBytes(path);
        var end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        if (end < bytes.Length)
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write)) stream.SetLength(end);
        var lineNumber = 0;
        foreach (var line in System.Text.Encoding.UTF8.GetString(bytes, 0, end).Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty("id", out var id) && id.ValueKind != JsonValueKind.Null) done.Add(id.ToString());
            }
            catch (JsonException e)
            {
                throw new CliUsageException($"{path}, line {lineNumber}: not valid JSON ({e.Message}), so it was not written by 'aligngen generate'. Fix: pass --force to start over, or choose another --output.");
            }
        }
        return done;
    }
}
