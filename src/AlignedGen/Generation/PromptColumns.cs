namespace AlignedGen.Generation;

/// <summary>
/// Which columns of a prompt file hold what. Each name is checked when set; <see cref="Id"/> and <see cref="Reference"/>
/// may be null (no such column). Every other column passes through to the output unchanged.
/// </summary>
public sealed record PromptColumns
{
    /// <summary>id, prompt; no reference.</summary>
    public static PromptColumns Default { get; } = new();

    private readonly string? _id = "id";
    private readonly string _prompt = "prompt";
    private readonly string? _reference;

    /// <summary>Row id column: it identifies rows on resume and in shards, and seeds each row's random draws. Null: rows are identified by their content.</summary>
    public string? Id { get => _id; init => _id = Optional(value, nameof(Id)); }

    /// <summary>Prompt text column.</summary>
    public string Prompt
    {
        get => _prompt;
        init => _prompt = string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException($"PromptColumns.Prompt is '{value}'. Fix: give the name of the column that holds the prompt.", nameof(Prompt))
            : value;
    }

    /// <summary>Reference answer column passed to the reward source, or null.</summary>
    public string? Reference { get => _reference; init => _reference = Optional(value, nameof(Reference)); }

    /// <summary>The mapped columns a row must have (id when set, prompt, reference when set).</summary>
    public IReadOnlyList<string> RequiredColumns => new[] { Id, Prompt, Reference }.Where(c => c is not null).Select(c => c!).ToArray();

    private static string? Optional(string? value, string name) =>
        value is not null && string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException($"PromptColumns.{name} is blank. Fix: give a column name, or null for none.", name)
            : value;
}
