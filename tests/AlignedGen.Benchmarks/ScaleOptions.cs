using System.Globalization;
using AlignedGen.ModelBuilding;

namespace AlignedGen.Benchmarks;

/// <summary>
/// What one scale run measures: presets × weight formats × sections, and the workload sizes (kept small: a 0.5B-parameter
/// float32 step takes a quarter of a second on one core of the 2-core machine).
/// </summary>
public sealed record ScaleOptions
{
    public required string[] Presets { get; init; }
    public required WeightFormat[] Formats { get; init; }
    public required HashSet<string> Sections { get; init; }
    /// <summary>Paired (alternating) runs per comparison; the table shows their median.</summary>
    public required int Pairs { get; init; }
    public required string? ModelCache { get; init; }
    public int PromptTokens { get; init; } = 16;
    /// <summary>Prompts decoded one at a time in batch-1 variants.</summary>
    public required int SinglePrompts { get; init; }
    public required int DecodeTokens { get; init; }
    public required int ArgsTokens { get; init; }
    public required int RelabelRows { get; init; }
    public int ArgsK { get; init; } = 10;

    public static ScaleOptions Parse(BenchmarkArgs args) => new()
    {
        Presets = args.ListOption("presets", "smollm2-135m,qwen2.5-0.5b"),
        Formats = args.ListOption("formats", "fp32,int4").Select(ParseFormat).ToArray(),
        Sections = new HashSet<string>(args.ListOption("sections", "decode,args,bestofn,relabel"), StringComparer.OrdinalIgnoreCase),
        Pairs = int.Parse(args.Option("pairs", args.Quick ? "1" : "3"), CultureInfo.InvariantCulture),
        ModelCache = args.Option("model-cache", "") is { Length: > 0 } cache ? cache : null,
        SinglePrompts = args.Quick ? 1 : 2,
        DecodeTokens = args.Quick ? 8 : 32,
        ArgsTokens = args.Quick ? 4 : 16,
        RelabelRows = args.Quick ? 32 : 64,
    };

    private static WeightFormat ParseFormat(string name) => name.ToLowerInvariant() switch
    {
        "fp32" => WeightFormat.Float32,
        "fp16" => WeightFormat.Float16,
        "int4" => WeightFormat.Int4,
        _ => throw new ArgumentException($"--formats: '{name}' is not a weight format; use fp32, fp16 or int4 (comma-separated)."),
    };
}
