using System.Globalization;
using System.Text;
using System.Text.Json;
using AlignedGen.Decoding;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.PowerShell.Json;

namespace AlignedGen.PowerShell.Evaluation;

/// <summary>
/// Reads Compare-DecodingStrategy's prompts into the core's <see cref="GenerationRequest"/>s: a string is a prompt; an
/// object (PSCustomObject, hashtable, Import-JsonLines row) gives Prompt (or Instruction) and optionally Id and
/// Reference; a .jsonl file gives one such object per line. A prompt without an id gets its 0-based position.
/// </summary>
public static class ComparisonPrompts
{
    /// <summary>The request for one pipeline input at <paramref name="index"/>; throws ArgumentException when it holds no prompt text.</summary>
    public static GenerationRequest FromInput(object? input, long index)
    {
        var promptProperty = PipelineInputReader.GetProperty(input, "Prompt") is null && PipelineInputReader.GetProperty(input, "Instruction") is not null
            ? "Instruction" : "Prompt";
        var prompt = PipelineInputReader.ReadText(input, promptProperty);
        var id = Optional(input, "Id") ?? index.ToString(CultureInfo.InvariantCulture);
        return new GenerationRequest(prompt, id, Optional(input, "Reference"));
    }

    /// <summary>
    /// The requests of a JSON Lines file, one per non-blank line. Throws <see cref="CorruptJsonLineException"/> for a line
    /// that is not JSON and ArgumentException (naming file and line) for a line without prompt text.
    /// </summary>
    public static IReadOnlyList<GenerationRequest> ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
            throw new ArgumentException($"-PromptFile '{path}' is a folder; give a .jsonl file with one {{\"prompt\": ...}} object per line.", "PromptFile");
        if (!File.Exists(path))
            throw new FileNotFoundException($"The prompt file '{path}' does not exist; give a .jsonl file with one {{\"prompt\": ...}} object per line.", path);
        var requests = new List<GenerationRequest>();
        long lineNumber = 0;
        foreach (var line in File.ReadLines(path, new UTF8Encoding(false)))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            object? row;
            try
            {
                row = JsonToPSObject.Convert(line);
            }
            catch (Exception ex) when (ex is JsonException or FormatException)
            {
                throw new CorruptJsonLineException(path, lineNumber, $"Invalid JSON: {ex.Message}", ex);
            }
            try
            {
                requests.Add(FromInput(row, requests.Count));
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"{path}:{lineNumber}: {ex.Message}", "PromptFile", ex);
            }
        }
        return requests;
    }

    private static string? Optional(object? input, string name) =>
        PipelineInputReader.GetProperty(input, name) is { } value ? PipelineInputReader.AsText(value, name) : null;
}
