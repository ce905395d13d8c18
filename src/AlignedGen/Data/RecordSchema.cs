namespace AlignedGen.Data;

/// <summary>The ordered, typed columns of a Parquet file; inferred from rows or given explicitly.</summary>
public sealed class RecordSchema
{
    /// <summary>A schema with the given columns, in order; names must be unique.</summary>
    public RecordSchema(IEnumerable<RecordColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Columns = columns.ToArray();
        if (Columns.Count == 0)
            throw new ArgumentException("A schema needs at least one column. Fix: pass the columns to write.", nameof(columns));
        var duplicate = Columns.GroupBy(c => c.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Column '{duplicate.Key}' appears twice. Fix: list each column once.", nameof(columns));
    }

    /// <summary>The columns in order.</summary>
    public IReadOnlyList<RecordColumn> Columns { get; }

    /// <summary>The kind of a column, or null when the schema lacks it.</summary>
    public ColumnKind? KindOf(string name) => Columns.FirstOrDefault(c => c.Name == name)?.Kind;

    /// <summary>
    /// Infers a schema from rows: columns in order of first appearance; integers with numbers give Number; mixed kinds
    /// give Text; a column that is always null (or an empty list) gives Text (TextList).
    /// </summary>
    public static RecordSchema Infer(IEnumerable<DataRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var builder = new RecordSchemaBuilder();
        foreach (var row in rows) builder.Observe(row);
        return builder.Build();
    }

    public override string ToString() => string.Join(", ", Columns.Select(c => $"{c.Name}: {c.Kind}"));
}

/// <summary>Incremental schema inference over a stream of rows.</summary>
internal sealed class RecordSchemaBuilder
{
    [Flags]
    private enum Seen { None = 0, Text = 1, Integer = 2, Number = 4, Boolean = 8, TextList = 16, NumberList = 32, EmptyList = 64, Json = 128 }

    private readonly List<string> _order = new();
    private readonly Dictionary<string, Seen> _seen = new(StringComparer.Ordinal);

    public bool IsEmpty => _order.Count == 0;

    public void Observe(DataRow row)
    {
        foreach (var (name, value) in row)
        {
            if (!_seen.TryGetValue(name, out var s))
            {
                _order.Add(name);
                s = Seen.None;
            }
            _seen[name] = s | value switch
            {
                null => Seen.None,
                string => Seen.Text,
                long => Seen.Integer,
                double => Seen.Number,
                bool => Seen.Boolean,
                string[] { Length: 0 } => Seen.EmptyList,
                string[] => Seen.TextList,
                double[] => Seen.NumberList,
                _ => Seen.Json,
            };
        }
    }

    public RecordSchema Build()
    {
        if (_order.Count == 0) throw new InvalidOperationException("No columns seen.");
        return new RecordSchema(_order.Select(n => new RecordColumn(n, KindFor(_seen[n]))));
    }

    private static ColumnKind KindFor(Seen s)
    {
        var lists = s & (Seen.TextList | Seen.NumberList | Seen.EmptyList);
        var scalars = s & ~(Seen.TextList | Seen.NumberList | Seen.EmptyList);
        if (lists != 0 && scalars != 0) return ColumnKind.Text;
        if (lists != 0)
        {
            if ((s & Seen.TextList) != 0 && (s & Seen.NumberList) != 0) return ColumnKind.Text;
            return (s & Seen.NumberList) != 0 ? ColumnKind.NumberList : ColumnKind.TextList;
        }
        return scalars switch
        {
            Seen.None => ColumnKind.Text,
            Seen.Integer => ColumnKind.Integer,
            Seen.Number or (Seen.Integer | Seen.Number) => ColumnKind.Number,
            Seen.Boolean => ColumnKind.Boolean,
            _ => ColumnKind.Text,
        };
    }
}
