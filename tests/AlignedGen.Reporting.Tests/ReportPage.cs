using System.Xml;
using System.Xml.Linq;

namespace AlignedGen.Reporting.Tests;

/// <summary>A written report.html parsed as XML (the writer emits well-formed HTML), with the parts tests look at.</summary>
public sealed class ReportPage
{
    private ReportPage(string source, XDocument document)
    {
        Source = source;
        Document = document;
    }

    /// <summary>The page's text as written.</summary>
    public string Source { get; }
    public XDocument Document { get; }

    /// <summary>Parses the file; throws when it is not well-formed.</summary>
    public static ReportPage Load(string path)
    {
        var source = File.ReadAllText(path);
        using var reader = XmlReader.Create(new StringReader(source), new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return new ReportPage(source, XDocument.Load(reader));
    }

    /// <summary>Every element named <paramref name="name"/>.</summary>
    public IEnumerable<XElement> All(string name) => Document.Descendants(name);

    /// <summary>Elements named <paramref name="name"/> whose class list contains <paramref name="cssClass"/>.</summary>
    public IEnumerable<XElement> WithClass(string name, string cssClass) =>
        All(name).Where(e => ((string?)e.Attribute("class") ?? "").Split(' ').Contains(cssClass));

    /// <summary>The summary table's body rows.</summary>
    public IReadOnlyList<XElement> SummaryRows =>
        WithClass("table", "summary").Single().Element("tbody")!.Elements("tr").ToArray();

    /// <summary>The summary table's column headers.</summary>
    public IReadOnlyList<string> SummaryHeaders =>
        WithClass("table", "summary").Single().Element("thead")!.Descendants("th").Select(th => th.Value).ToArray();

    /// <summary>The cell texts of a summary row (the setting's header cell first).</summary>
    public static IReadOnlyList<string> Cells(XElement row) =>
        row.Elements().Where(e => e.Name == "td" || e.Name == "th").Select(e => e.Value).ToArray();

    /// <summary>The run facts of the header (dt → dd).</summary>
    public IReadOnlyDictionary<string, string> RunFacts =>
        WithClass("dl", "run").Single().Elements("dt").ToDictionary(dt => dt.Value, dt => dt.ElementsAfterSelf("dd").First().Value);
}
