using Microsoft.ML;

namespace AlignedGen.ML.DataViews;

/// <summary>
/// The lazy output of a batch transform: the input's columns plus the mapper's. A cursor that needs only input columns
/// is the input's own cursor (no model runs); one that needs an output column reads the mapper's inputs through a second
/// input cursor, a batch ahead, and walks the pass-through columns in step with it. Not shuffleable; one cursor per set.
/// </summary>
internal sealed class BatchMappedDataView : IDataView
{
    private readonly IDataView _input;
    private readonly IBatchRowMapper _mapper;

    public BatchMappedDataView(IDataView input, IBatchRowMapper mapper, string transform)
    {
        _input = input ?? throw new ArgumentNullException(nameof(input));
        _mapper = mapper;
        InputColumns.Check(input.Schema, mapper.InputColumnNames, transform);
        Schema = OutputColumn.Append(input.Schema, mapper.OutputColumns);
    }

    /// <inheritdoc />
    public bool CanShuffle => false;

    /// <inheritdoc />
    public DataViewSchema Schema { get; }

    internal IDataView Input => _input;

    internal IBatchRowMapper Mapper => _mapper;

    /// <inheritdoc />
    public long? GetRowCount() => _input.GetRowCount();

    /// <inheritdoc />
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        int inputCount = _input.Schema.Count;
        var needed = new HashSet<int>(columnsNeeded.Select(c => c.Index));
        var inputNeeded = _input.Schema.Where(c => needed.Contains(c.Index)).ToArray();
        var outputNeeded = Enumerable.Range(0, _mapper.OutputColumns.Count).Select(j => needed.Contains(inputCount + j)).ToArray();
        var follow = _input.GetRowCursor(inputNeeded);
        return new BatchMappedCursor(this, follow, outputNeeded);
    }

    /// <inheritdoc />
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => new[] { GetRowCursor(columnsNeeded, rand) };
}
