namespace AlignedGen.Models;

/// <summary>
/// One row's last-position output as the model wrote it: float32, or float16 read in place (a float16 model's logits
/// are not copied into floats to be looked at). Indexing widens one value; the samplers read either kind directly.
/// </summary>
public readonly ref struct OutputRow
{
    /// <summary>A float32 row.</summary>
    public OutputRow(ReadOnlySpan<float> values)
    {
        Floats = values;
        Halves = default;
        IsHalf = false;
    }

    /// <summary>A float16 row.</summary>
    public OutputRow(ReadOnlySpan<Half> values)
    {
        Floats = default;
        Halves = values;
        IsHalf = true;
    }

    /// <summary>True when the values are float16 (<see cref="Halves"/>), false for float32 (<see cref="Floats"/>).</summary>
    public bool IsHalf { get; }

    /// <summary>The float32 values (empty when <see cref="IsHalf"/>).</summary>
    public ReadOnlySpan<float> Floats { get; }

    /// <summary>The float16 values (empty unless <see cref="IsHalf"/>).</summary>
    public ReadOnlySpan<Half> Halves { get; }

    /// <summary>Number of values (the vocabulary size for logits).</summary>
    public int Length => IsHalf ? Halves.Length : Floats.Length;

    /// <summary>Value <paramref name="index"/> as a float.</summary>
    public float this[int index] => IsHalf ? (float)Halves[index] : Floats[index];
}
