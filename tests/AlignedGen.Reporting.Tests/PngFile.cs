using System.Buffers.Binary;
using SkiaSharp;

namespace AlignedGen.Reporting.Tests;

/// <summary>What a PNG file holds: its header read byte by byte (signature, IHDR size) and its decoded pixels.</summary>
public sealed class PngFile
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly SKColor[] _colors;

    private PngFile(int width, int height, SKBitmap pixels)
    {
        Width = width;
        Height = height;
        Pixels = pixels;
        _colors = pixels.Pixels;
    }

    /// <summary>Width from the IHDR chunk.</summary>
    public int Width { get; }
    /// <summary>Height from the IHDR chunk.</summary>
    public int Height { get; }
    /// <summary>The decoded image.</summary>
    public SKBitmap Pixels { get; }

    /// <summary>Reads <paramref name="bytes"/>; throws when the signature or the IHDR chunk is wrong or the image does not decode.</summary>
    public static PngFile Read(byte[] bytes)
    {
        if (bytes.Length < 33 || !bytes.AsSpan(0, 8).SequenceEqual(Signature)) throw new InvalidDataException("not a PNG: wrong signature");
        if (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8)) != 13 || System.Text.Encoding.ASCII.GetString(bytes, 12, 4) != "IHDR")
            throw new InvalidDataException("not a PNG: the first chunk is not a 13-byte IHDR");
        var width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16));
        var height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20));
        var pixels = SKBitmap.Decode(bytes) ?? throw new InvalidDataException("the PNG does not decode");
        if (pixels.Width != width || pixels.Height != height) throw new InvalidDataException($"IHDR says {width}×{height}, the pixels are {pixels.Width}×{pixels.Height}");
        return new PngFile(width, height, pixels);
    }

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    public static PngFile Read(string path) => Read(File.ReadAllBytes(path));

    /// <summary>Distinct colours in a rectangle (the whole image by default), looking at every <paramref name="step"/>-th pixel of every <paramref name="step"/>-th row.</summary>
    public int DistinctColors(SKRectI? area = null, int step = 1)
    {
        var rect = Clip(area ?? new SKRectI(0, 0, Width, Height));
        var colors = new HashSet<uint>();
        for (var y = rect.Top; y < rect.Bottom; y += step)
            for (var x = rect.Left; x < rect.Right; x += step)
                colors.Add((uint)_colors[y * Width + x]);
        return colors.Count;
    }

    /// <summary>Pixels in a rectangle darker than mid-grey (text, lines, markers).</summary>
    public int DarkPixels(SKRectI area)
    {
        var (count, rect) = (0, Clip(area));
        for (var y = rect.Top; y < rect.Bottom; y++)
            for (var x = rect.Left; x < rect.Right; x++)
            {
                var c = _colors[y * Width + x];
                if (c.Red + c.Green + c.Blue < 3 * 110) count++;
            }
        return count;
    }

    private SKRectI Clip(SKRectI area) =>
        new(Math.Max(area.Left, 0), Math.Max(area.Top, 0), Math.Min(area.Right, Width), Math.Min(area.Bottom, Height));
}
