using System.Globalization;
using System.Text;

namespace AlignedGen.Benchmarks;

/// <summary>Prints aligned Markdown tables.</summary>
public sealed class ResultTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = new();

    public ResultTable(params string[] headers) => _headers = headers;

    public void Add(params object[] cells) => _rows.Add(cells.Select(Format).ToArray());

    public override string ToString()
    {
        var widths = _headers.Select((h, i) => Math.Max(h.Length, _rows.Count == 0 ? 0 : _rows.Max(r => r[i].Length))).ToArray();
        var sb = new StringBuilder();
        sb.AppendLine("| " + string.Join(" | ", _headers.Select((h, i) => h.PadRight(widths[i]))) + " |");
        sb.AppendLine("|" + string.Join("|", widths.Select(w => new string('-', w + 2))) + "|");
        foreach (var r in _rows) sb.AppendLine("| " + string.Join(" | ", r.Select((c, i) => c.PadRight(widths[i]))) + " |");
        return sb.ToString();
    }

    private static string Format(object o) => o switch
    {
        double d => d.ToString(d >= 100 ? "F0" : d >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture),
        float f => ((double)f).ToString("F2", CultureInfo.InvariantCulture),
        _ => Convert.ToString(o, CultureInfo.InvariantCulture) ?? "",
    };
}
