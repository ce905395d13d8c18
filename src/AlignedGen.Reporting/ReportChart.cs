namespace AlignedGen.Reporting;

/// <summary>One chart a report wrote: its PNG file and the texts the HTML shows with it.</summary>
/// <param name="Kind">Which chart it is.</param>
/// <param name="Path">Absolute path of the PNG file.</param>
/// <param name="RelativePath">Path of the PNG relative to the report's folder, as the HTML links it ("charts/….png").</param>
/// <param name="Title">The chart's title.</param>
/// <param name="AltText">Alternative text of the image.</param>
/// <param name="Caption">The caption under the image in the HTML.</param>
/// <param name="Width">Image width in pixels.</param>
/// <param name="Height">Image height in pixels.</param>
public sealed record ReportChart(ReportChartKind Kind, string Path, string RelativePath, string Title, string AltText,
    string Caption, int Width, int Height);
