namespace AlignedGen.Reporting;

/// <summary>
/// Places one text label beside each point of a scatter chart so that labels overlap neither each other, nor the
/// points, nor the edges of the data area when a free spot exists: tries right-above, right-below, left-above,
/// left-below and further out, and otherwise takes the spot with the least overlap. All in pixels, y growing downwards.
/// </summary>
internal static class LabelPlacer
{
    /// <summary>Which side of the point the label goes, and the label's box.</summary>
    public sealed record Placement(bool RightOfPoint, bool AbovePoint, float OffsetX, float OffsetY, Box Bounds);

    /// <summary>An axis-aligned rectangle in pixels.</summary>
    public readonly record struct Box(double Left, double Top, double Right, double Bottom)
    {
        public double Overlap(Box other) =>
            Math.Max(0, Math.Min(Right, other.Right) - Math.Max(Left, other.Left))
            * Math.Max(0, Math.Min(Bottom, other.Bottom) - Math.Max(Top, other.Top));

        public double Outside(Box area) => (Right - Left) * (Bottom - Top) - Overlap(area);
    }

    private const double Gap = 6, MarkerRadius = 6;

    /// <summary>Placements for labels of the given pixel sizes at the given pixel points, in order, inside <paramref name="area"/> and clear of <paramref name="obstacles"/> (error bars).</summary>
    public static IReadOnlyList<Placement> Place(IReadOnlyList<(double X, double Y, double Width, double Height)> labels,
        IEnumerable<Box> obstacles, Box area)
    {
        var taken = labels.Select(l => new Box(l.X - MarkerRadius, l.Y - MarkerRadius, l.X + MarkerRadius, l.Y + MarkerRadius))
            .Concat(obstacles).ToList();
        var placements = new List<Placement>();
        foreach (var label in labels)
        {
            var best = Candidates(label)
                .Select((p, order) => (p, cost: taken.Sum(t => p.Bounds.Overlap(t)) + 4 * p.Bounds.Outside(area), order))
                .OrderBy(c => c.cost).ThenBy(c => c.order).First().p;
            placements.Add(best);
            taken.Add(best.Bounds);
        }
        return placements;
    }

    private static IEnumerable<Placement> Candidates((double X, double Y, double Width, double Height) label)
    {
        foreach (var lift in new[] { 0.0, label.Height })
            foreach (var right in new[] { true, false })
                foreach (var above in new[] { true, false })
                {
                    var dx = right ? Gap : -Gap;
                    var dy = (above ? -Gap : Gap) + (above ? -lift : lift);
                    var left = right ? label.X + dx : label.X + dx - label.Width;
                    var top = above ? label.Y + dy - label.Height : label.Y + dy;
                    yield return new Placement(right, above, (float)dx, (float)dy, new Box(left, top, left + label.Width, top + label.Height));
                }
    }
}
