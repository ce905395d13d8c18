using SkiaSharp;

namespace AlignedGen.Reporting;

/// <summary>Finds an installed font for chart texts; Skia draws no text at all when the machine has no usable font.</summary>
internal static class ChartFonts
{
    private static readonly string[] PreferredFamilies =
        ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "FreeSans", "Roboto"];

    /// <summary>The font families Skia sees on this machine.</summary>
    public static IReadOnlyList<string> InstalledFamilies() => SKFontManager.Default.FontFamilies.ToArray();

    /// <summary>True when <paramref name="family"/> is installed (case-insensitive).</summary>
    public static bool IsInstalled(string family) =>
        InstalledFamilies().Contains(family, StringComparer.OrdinalIgnoreCase);

    /// <summary>The requested family, else the first preferred sans-serif one installed, else any installed family with glyphs; null when none has glyphs.</summary>
    public static string? Resolve(string? requested)
    {
        if (requested is not null) return requested;
        var installed = InstalledFamilies();
        var preferred = PreferredFamilies.FirstOrDefault(p => installed.Contains(p, StringComparer.OrdinalIgnoreCase));
        if (preferred is not null) return preferred;
        return installed.FirstOrDefault(HasGlyphs);
    }

    private static bool HasGlyphs(string family)
    {
        using var typeface = SKTypeface.FromFamilyName(family);
        return typeface is not null && typeface.GlyphCount > 0;
    }
}
