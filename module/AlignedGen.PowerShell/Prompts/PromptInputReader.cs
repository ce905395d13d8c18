using AlignedGen.PowerShell.Infrastructure;

namespace AlignedGen.PowerShell.Prompts;

/// <summary>
/// Reads one prompt input: a string is the prompt; an object (PSCustomObject, .NET object, hashtable, Import-JsonLines
/// row) must have a Prompt property and may have Id, Response and Reference (names match case-insensitively). Anything
/// else is refused with an ArgumentException that says why (see <see cref="PipelineInputReader"/>).
/// </summary>
public static class PromptInputReader
{
    /// <summary>The prompt fields of <paramref name="input"/>; throws ArgumentException when it holds no prompt text.</summary>
    public static (string Prompt, string? Id, string? Response, string? Reference) Read(object? input)
    {
        var prompt = PipelineInputReader.ReadText(input, "Prompt");
        return (prompt, Optional(input, "Id"), Optional(input, "Response"), Optional(input, "Reference"));
    }

    private static string? Optional(object? input, string name) =>
        PipelineInputReader.GetProperty(input, name) is { } value ? PipelineInputReader.AsText(value, name) : null;
}
