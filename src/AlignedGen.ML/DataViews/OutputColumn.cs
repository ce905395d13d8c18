using Microsoft.ML;
using Microsoft.ML.Data;

namespace AlignedGen.ML.DataViews;

/// <summary>A column a batch mapper adds: name, type (Text, Single, Double, Int32 or a known-size Single vector) and optional slot names.</summary>
internal sealed record OutputColumn(string Name, DataViewType Type, IReadOnlyList<string>? SlotNames = null)
{
    /// <summary>The annotations of the column (slot names for vectors that have them).</summary>
    public DataViewSchema.Annotations Annotations()
    {
        if (SlotNames is null) return DataViewSchema.Annotations.Empty;
        var builder = new DataViewSchema.Annotations.Builder();
        var names = SlotNames.Select(s => s.AsMemory()).ToArray();
        builder.Add("SlotNames", new VectorDataViewType(TextDataViewType.Instance, names.Length),
            (ref VBuffer<ReadOnlyMemory<char>> value) => value = new VBuffer<ReadOnlyMemory<char>>(names.Length, names.ToArray()));
        return builder.ToAnnotations();
    }

    /// <summary>The output schema of a mapper: the input's columns (hidden ones included) followed by <paramref name="outputs"/>.</summary>
    public static DataViewSchema Append(DataViewSchema input, IReadOnlyList<OutputColumn> outputs)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(input);
        foreach (var c in outputs) builder.AddColumn(c.Name, c.Type, c.Annotations());
        return builder.ToSchema();
    }

    /// <summary>The estimator-side shape: the input shape with same-named columns replaced by <paramref name="outputs"/>.</summary>
    public static SchemaShape Append(SchemaShape input, IReadOnlyList<OutputColumn> outputs)
    {
        var added = ShapeOf(Append(new DataViewSchema.Builder().ToSchema(), outputs));
        var names = new HashSet<string>(outputs.Select(o => o.Name), StringComparer.Ordinal);
        return new SchemaShape(input.Where(c => !names.Contains(c.Name)).Concat(added));
    }

    /// <summary>
    /// ML.NET builds a <see cref="SchemaShape"/> from a schema only internally (SchemaShape.Create, and the Column
    /// constructor, are not public), so the one call is made through reflection; the error says so if a later ML.NET renames it.
    /// </summary>
    internal static SchemaShape ShapeOf(DataViewSchema schema)
    {
        var create = typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic,
            new[] { typeof(DataViewSchema) })
            ?? throw new MissingMethodException($"This Microsoft.ML ({typeof(SchemaShape).Assembly.GetName().Version}) has no SchemaShape.Create(DataViewSchema); AlignedGen.ML is built against 6.0.0.");
        return (SchemaShape)create.Invoke(null, new object[] { schema })!;
    }
}
