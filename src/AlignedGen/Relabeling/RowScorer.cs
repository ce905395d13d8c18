using AlignedGen.Data;
using AlignedGen.Jobs;
using AlignedGen.Rewards;

namespace AlignedGen.Relabeling;

/// <summary>
/// Collects rows into a batch, turns each into reward queries (one per response), scores them with every reward source
/// in calls of at most BatchSize queries, checks the scores and returns the rows with reward columns added.
/// </summary>
internal sealed class RowScorer : IRowBatchProcessor
{
    private readonly RelabelOptions _options;
    private readonly string _inputName;
    private readonly List<Pending> _rows = new();
    private readonly List<RewardQuery> _queries = new();
    private bool _firstRowSeen;

    private sealed record Pending(DataRow Row, long Line, int FirstQuery, int QueryCount, bool IsList);

    internal RowScorer(RelabelOptions options, string inputName)
    {
        _options = options;
        _inputName = inputName;
    }

    public int PendingRows => _rows.Count;

    internal int PendingQueries => _queries.Count;

    /// <summary>A batch is full when it holds BatchSize queries (a list row adds one per response).</summary>
    public bool IsFull => _queries.Count >= _options.BatchSize;

    /// <summary>Adds a row to the batch (its key is not needed: rewards are not random); throws for missing columns or (strict) values that are not text.</summary>
    public void Add(DataRow row, long line, string key) => Add(row, line);

    internal void Add(DataRow row, long line)
    {
        var map = _options.Columns;
        var required = new[] { map.Prompt, map.Response }.Concat(map.Reference is null ? Array.Empty<string>() : new[] { map.Reference });
        var missing = required.Where(c => !row.Contains(c)).ToArray();
        if (missing.Length > 0 && (_options.Strict || !_firstRowSeen))
            throw new MissingColumnsException(_inputName, line, missing, map.RequiredColumns, row.ColumnNames);
        _firstRowSeen = true;

        var prompt = Text(row, map.Prompt, line) ?? "";
        var reference = map.Reference is null ? null : Text(row, map.Reference, line, allowNull: true);
        row.TryGetValue(map.Response, out var response);
        var first = _queries.Count;
        var isList = response is string[];
        if (response is string[] list)
            foreach (var r in list) _queries.Add(new RewardQuery(prompt, r, reference));
        else
            _queries.Add(new RewardQuery(prompt, Text(row, map.Response, line) ?? "", reference));
        _rows.Add(new Pending(row, line, first, _queries.Count - first, isList));
    }

    /// <summary>Scores the batch; returns the output rows (input columns, then reward columns) and clears the batch.</summary>
    public IReadOnlyList<DataRow> ProcessPending()
    {
        var output = _rows.Select(p => p.Row.Clone()).ToArray();
        foreach (var reward in _options.Rewards)
        {
            var scores = Score(reward.Source);
            for (var i = 0; i < _rows.Count; i++)
            {
                var p = _rows[i];
                output[i][reward.ColumnName] = p.IsList
                    ? scores.AsSpan(p.FirstQuery, p.QueryCount).ToArray().Select(DataValues.FloatToDouble).ToArray()
                    : DataValues.FloatToDouble(scores[p.FirstQuery]);
            }
        }
        QueriesScored += _queries.Count;
        _rows.Clear();
        _queries.Clear();
        return output;
    }

    /// <summary>Queries scored so far (each counted once, whatever the number of reward sources).</summary>
    internal long QueriesScored { get; private set; }

    private float[] Score(IRewardSource source)
    {
        var all = new float[_queries.Count];
        var step = _options.BatchSize;
        for (var start = 0; start < _queries.Count; start += step)
        {
            var count = Math.Min(step, _queries.Count - start);
            var chunk = start == 0 && count == _queries.Count ? (IReadOnlyList<RewardQuery>)_queries : _queries.GetRange(start, count);
            // The batch in flight is always completed: cancellation is checked between batches, not inside the reward source.
            var first = start;
            var scores = RewardChecks.ScoreChecked(source, chunk, CancellationToken.None, i => Locate(first + i));
            scores.CopyTo(all, start);
        }
        return all;
    }

    private Pending RowOfQuery(int query) => _rows.First(p => p.FirstQuery <= query && query < p.FirstQuery + p.QueryCount);

    private long LineOfQuery(int query) => RowOfQuery(query).Line;

    private (int Row, string Where) Locate(int query)
    {
        var line = LineOfQuery(query);
        return ((int)Math.Min(line, int.MaxValue), $"the row at input line {line}{IdOf(query)} of {_inputName}; nothing of this batch was written");
    }

    private string IdOf(int query)
    {
        var id = _options.Columns.Id is { } c ? RowOfQuery(query).Row.GetText(c) : null;
        return string.IsNullOrEmpty(id) ? "" : $" (id '{id}')";
    }

    private string? Text(DataRow row, string column, long line, bool allowNull = false)
    {
        row.TryGetValue(column, out var value);
        if (value is string s) return s;
        if (!_options.Strict) return value is null ? (allowNull ? null : "") : DataValues.ToText(value);
        if (value is null && allowNull) return null;
        throw new DataFileException(_inputName, line,
            $"column '{column}' holds {DataValues.KindName(value)}; strict mode needs text{(column == _options.Columns.Response ? " or a list of text" : "")}.",
            "fix the data, map another column, or set RelabelOptions.Strict = false (null becomes \"\", other values their text).");
    }
}
