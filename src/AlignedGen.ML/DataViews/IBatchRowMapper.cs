namespace AlignedGen.ML.DataViews;

/// <summary>
/// Maps rows of text inputs to rows of output values in batches, streaming and in order. Values are string (Text),
/// float (Single), double (Double), int (Int32) or float[] (Single vector), per <see cref="OutputColumns"/>.
/// </summary>
internal interface IBatchRowMapper
{
    /// <summary>Text columns the mapper reads, in the order of each input row's array; a null name means "not used" (the array slot stays null).</summary>
    IReadOnlyList<string?> InputColumnNames { get; }

    /// <summary>The columns it adds.</summary>
    IReadOnlyList<OutputColumn> OutputColumns { get; }

    /// <summary>Cancels every cursor.</summary>
    CancellationToken Cancellation { get; }

    /// <summary>One output row per input row, in order; pulls inputs lazily a batch at a time.</summary>
    IEnumerable<object[]> Map(IEnumerable<string?[]> inputs, CancellationToken cancellationToken);
}
