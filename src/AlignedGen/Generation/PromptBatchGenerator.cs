using AlignedGen.Data;
using AlignedGen.Decoding;
using AlignedGen.Jobs;

namespace AlignedGen.Generation;

/// <summary>
/// The generation job's batch step: collects prompt rows, decodes them in one <see cref="TextGenerator"/> call (each row
/// seeded from its identity key) and returns each input row with the result columns (<see cref="ResultColumns"/>). A row
/// whose prompt is missing or not text becomes an error row without reaching the generator; rows the generator cannot
/// decode come back as error rows too — unless <see cref="GenerationJobOptions.FailFast"/>.
/// </summary>
internal sealed class PromptBatchGenerator : IRowBatchProcessor
{
    private readonly TextGenerator _generator;
    private readonly GenerationJobOptions _options;
    private readonly GenerationOptions _generation;
    private readonly string _inputName;
    private readonly List<Pending> _pending = new();

    private sealed record Pending(DataRow Row, long Line, GenerationRequest? Request, string? Error);

    internal PromptBatchGenerator(TextGenerator generator, GenerationJobOptions options, string inputName)
    {
        _generator = generator;
        _options = options;
        _generation = options.Generation with { SeedFromRequestId = true, FailFast = options.FailFast };
        _inputName = inputName;
    }

    public bool IsFull => _pending.Count >= _generation.BatchSize;

    public int PendingRows => _pending.Count;

    /// <summary>Failed rows written by this run.</summary>
    internal long Failed { get; private set; }

    public void Add(DataRow row, long line, string key)
    {
        var map = _options.Columns;
        string? error = null;
        if (!row.TryGetValue(map.Prompt, out var prompt) || prompt is null)
            error = $"the row has no '{map.Prompt}' (input line {line}).";
        else if (prompt is not string)
            error = $"column '{map.Prompt}' holds {DataValues.KindName(prompt)}, not text (input line {line}).";
        string? reference = null;
        if (error is null && map.Reference is not null && row.TryGetValue(map.Reference, out var r) && r is not null)
        {
            if (r is string s) reference = s;
            else error = $"column '{map.Reference}' holds {DataValues.KindName(r)}, not text (input line {line}).";
        }
        if (error is not null && _options.FailFast)
            throw new DataFileException(_inputName, line, error, "fix the prompt file, or run without FailFast so that such rows are written as errors.");
        // The request id seeds the row's random stream and names the row in errors: its id (or, without an id column, its
        // content key), the same in every run and shard.
        var id = key.StartsWith("id:", StringComparison.Ordinal) ? key[3..] : key;
        _pending.Add(new Pending(row, line, error is null ? new GenerationRequest((string)prompt!, id, reference) : null, error));
    }

    public IReadOnlyList<DataRow> ProcessPending()
    {
        var requests = _pending.Where(p => p.Request is not null).Select(p => p.Request!).ToArray();
        var results = requests.Length == 0 ? Array.Empty<GenerationResult>() : _generator.Generate(requests, _options.Strategy, _generation);
        var output = new List<DataRow>(_pending.Count);
        var next = 0;
        foreach (var p in _pending)
        {
            var result = p.Request is null ? ErrorResult(p.Error!) : results[next++];
            if (result.FinishReason == FinishReason.Error) Failed++;
            if (result.Error is not null && _options.Wording is { } wording) result = result with { Error = wording.Translate(result.Error) };
            output.Add(ResultColumns.Set(p.Row.Clone(), result, _options.WriteTimings));
        }
        _pending.Clear();
        return output;
    }

    private GenerationResult ErrorResult(string error) => new()
    {
        Prompt = "",
        Text = "",
        TokenIds = Array.Empty<int>(),
        FinishReason = FinishReason.Error,
        Error = error,
        Strategy = _options.Strategy.Name,
        Cost = new GenerationCost(),
    };
}
