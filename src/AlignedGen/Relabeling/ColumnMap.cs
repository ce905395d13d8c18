namespace AlignedGen.Relabeling;

/// <summary>
/// Which columns of a dataset hold what. Each name is checked when set; <see cref="Id"/>, <see cref="Reference"/> and
/// <see cref="PromptId"/> may be null (no such column).
/// </summary>
public sealed record ColumnMap
{
    /// <summary>id, prompt, response; no reference, no prompt id.</summary>
    public static ColumnMap Default { get; } = new();

    private readonly string? _id = "id";
    private readonly string _prompt = "prompt";
    private readonly string _response = "response";
    private readonly string? _reference;
    private readonly string? _promptId;

    /// <summary>Row id column, used to resume and to shard; null identifies rows by a stable hash of their content.</summary>
    public string? Id { get => _id; init => _id = Optional(value, nameof(Id)); }

    /// <summary>Prompt text column.</summary>
    public string Prompt { get => _prompt; init => _prompt = Required(value, nameof(Prompt)); }

    /// <summary>Response column: text, or a list of texts (several responses to one prompt).</summary>
    public string Response { get => _response; init => _response = Required(value, nameof(Response)); }

    /// <summary>Reference answer column passed to the reward source, or null.</summary>
    public string? Reference { get => _reference; init => _reference = Optional(value, nameof(Reference)); }

    /// <summary>Prompt id column grouping several rows of one prompt (preference pairs), or null to group by prompt text.</summary>
    public string? PromptId { get => _promptId; init => _promptId = Optional(value, nameof(PromptId)); }

    /// <summary>The mapped column names that a row must have (id, prompt, response, reference when set).</summary>
    public IReadOnlyList<string> RequiredColumns =>
        new[] { Id, Prompt, Response, Reference }.Where(c => c is not null).Select(c => c!).ToArray();

    internal void CheckDistinct(string paramName)
    {
        var names = new[] { Id, Prompt, Response, Reference, PromptId }.Where(c => c is not null).ToArray();
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException(
                $"ColumnMap maps column '{duplicate.Key}' to two roles ({this}). Fix: give Id, Prompt, Response, Reference and PromptId distinct columns.",
                paramName);
    }

    private static string Required(string value, string name) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException($"ColumnMap.{name} is '{value}'. Fix: give the name of the column that holds the {name.ToLowerInvariant()}.", name)
            : value;

    private static string? Optional(string? value, string name) =>
        value is not null && string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException($"ColumnMap.{name} is blank. Fix: give a column name, or null for none.", name)
            : value;
}
