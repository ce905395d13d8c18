namespace AlignedGen.ML.Tests;

/// <summary>An input row for LoadFromEnumerable: a prompt, an id and a reference.</summary>
public sealed class PromptRow
{
    public string Prompt { get; set; } = "";
    public string Id { get; set; } = "";
    public string Reference { get; set; } = "";

    /// <summary>Prompts "The ", "A cat ", ... with ids "0", "1", ...</summary>
    public static PromptRow[] Make(int count)
    {
        var starts = new[] { "The ", "A cat ", "Once upon a time ", "She said ", "In the morning ", "It was ", "He ran to ", "We " };
        return Enumerable.Range(0, count).Select(i => new PromptRow
        {
            Prompt = starts[i % starts.Length] + (i >= starts.Length ? $"({i}) " : ""),
            Id = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Reference = i % 2 == 0 ? "a story about a cat" : "",
        }).ToArray();
    }
}
