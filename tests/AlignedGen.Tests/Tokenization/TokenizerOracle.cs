using System.Text.Json;

namespace AlignedGen.Tests.Tokenization;

/// <summary>
/// Oracle ids committed in TestData/tokenizers/*.json, produced by Hugging Face's `tokenizers` (npm) and js-tiktoken
/// with tools/tokenizer-oracle/generate.mjs. Tests read them; they never run node.
/// </summary>
public sealed class TokenizerOracle
{
    public sealed record Case(string Text, int[] Ids, string[] Tokens, int[] IdsWithSpecial, string Decoded,
        string DecodedWithSpecialSkipped, string DecodedWithSpecialKept);

    public sealed record DecodeCase(int[] Ids, string SkipSpecial, string KeepSpecial);

    public sealed record PairCase(string First, string Second, int MaxLength, int[] Ids, int[] TypeIds);

    public required string Name { get; init; }
    public required int VocabularySize { get; init; }
    public required IReadOnlyList<Case> Cases { get; init; }
    public required IReadOnlyList<DecodeCase> DecodeCases { get; init; }
    public IReadOnlyList<PairCase> Pairs { get; init; } = [];
    public JsonElement? Patch { get; init; }
    public string? Base { get; init; }

    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    public static string DataPath(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "tokenizers", name + ".json");

    public static TokenizerOracle Load(string name) =>
        JsonSerializer.Deserialize<TokenizerOracle>(File.ReadAllText(DataPath(name)), Options)
        ?? throw new InvalidDataException(DataPath(name));

    /// <summary>Shared-folder path of each oracle's tokenizer folder.</summary>
    public static string[] SharedFolder(string name) => name switch
    {
        "gpt2" => ["tokenizers", "gpt2"],
        "phi3" => ["tokenizers", "phi3"],
        "stories260K" => ["models", "stories260K"],
        "tiny-random-llama" => ["models", "tiny-random-llama-fp32"],
        "rm-wordpiece" => ["models", "rm-wordpiece"],
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such oracle"),
    };

    public static IEnumerable<object[]> Names() =>
        new[] { "gpt2", "phi3", "stories260K", "tiny-random-llama", "rm-wordpiece" }.Select(n => new object[] { n });

    /// <summary>Describes a case for assertion messages (escaped text).</summary>
    public static string Describe(string text) => JsonSerializer.Serialize(text);
}
