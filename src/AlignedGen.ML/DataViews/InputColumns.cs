using Microsoft.ML;
using Microsoft.ML.Data;

namespace AlignedGen.ML.DataViews;

/// <summary>Checks that a transform's input columns exist and hold text, with errors that name the column and the type expected.</summary>
internal static class InputColumns
{
    /// <summary>Checks a data view schema; throws <see cref="ArgumentOutOfRangeException"/> (paramName inputSchema).</summary>
    public static void Check(DataViewSchema schema, IReadOnlyList<string?> names, string transform)
    {
        ArgumentNullException.ThrowIfNull(schema);
        foreach (var name in names)
        {
            if (name is null) continue;
            var column = schema.GetColumnOrNull(name);
            if (column is null)
                throw Missing(name, transform, schema.Where(c => !c.IsHidden).Select(c => c.Name));
            if (column.Value.Type is not TextDataViewType)
                throw WrongType(name, transform, column.Value.Type.ToString() ?? column.Value.Type.GetType().Name);
        }
    }

    /// <summary>Checks an estimator's schema shape; throws <see cref="ArgumentOutOfRangeException"/> (paramName inputSchema).</summary>
    public static void Check(SchemaShape shape, IReadOnlyList<string?> names, string transform)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (var name in names)
        {
            if (name is null) continue;
            var found = shape.Where(c => c.Name == name).ToArray();
            if (found.Length == 0)
                throw Missing(name, transform, shape.Select(c => c.Name));
            var column = found[^1];
            if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType is not TextDataViewType)
                throw WrongType(name, transform, column.Kind == SchemaShape.Column.VectorKind.Scalar ? $"{column.ItemType}" : $"{column.Kind} of {column.ItemType}");
        }
    }

    private static ArgumentOutOfRangeException Missing(string name, string transform, IEnumerable<string> present) =>
        new("inputSchema", $"{transform}: input column '{name}' was not found; it must be a text (String) column. Columns present: {string.Join(", ", present)}. Fix: name an existing text column in the catalog call or options.");

    private static ArgumentOutOfRangeException WrongType(string name, string transform, string actual) =>
        new("inputSchema", $"{transform}: input column '{name}' has type {actual}; expected text (String). Fix: load it as text (TextLoader DataKind.String) or convert it first.");
}
