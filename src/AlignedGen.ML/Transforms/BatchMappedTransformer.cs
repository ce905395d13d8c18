using AlignedGen.ML.DataViews;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AlignedGen.ML;

/// <summary>
/// What every AlignedGen transformer shares: models opened once, lazily, on the first cursor that needs them; output
/// columns added by a batch mapper (<see cref="BatchMappedDataView"/>); no row-to-row mapper; saving through
/// <see cref="AlignedGenTransformerFile"/> only (ML.NET's own model format cannot hold external transformers).
/// </summary>
public abstract class BatchMappedTransformer : ITransformer, IDisposable
{
    private readonly Lazy<IDisposable> _models;
    private readonly string _name;
    private readonly string _work;

    /// <param name="name">The transform's name in errors (e.g. "ScoreReward").</param>
    /// <param name="work">What it does to batches of rows, for the row-to-row error (e.g. "scores rows").</param>
    /// <param name="openModels">Opens the models; called once, on first use.</param>
    private protected BatchMappedTransformer(string name, string work, Func<IDisposable> openModels)
    {
        _name = name;
        _work = work;
        _models = new Lazy<IDisposable>(openModels, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The mapper that adds the output columns; set by the derived constructor.</summary>
    private protected IBatchRowMapper Mapper { get; init; } = null!;

    /// <summary>The opened models, typed as the derived transformer opened them.</summary>
    private protected T Models<T>() where T : IDisposable => (T)_models.Value;

    /// <summary>Always false: rows are processed in batches.</summary>
    public bool IsRowToRowMapper => false;

    /// <summary>Loads the models now (they otherwise load on the first cursor that reads an output column).</summary>
    public void EnsureLoaded() => _ = _models.Value;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        InputColumns.Check(inputSchema, Mapper.InputColumnNames, _name);
        return OutputColumn.Append(inputSchema, Mapper.OutputColumns);
    }

    /// <summary>Not supported: this transform works on batches of rows (use <see cref="Transform"/>).</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
        => throw new NotSupportedException($"{_name} {_work} in batches and has no row-to-row mapper (so no PredictionEngine); call Transform on an IDataView instead.");

    /// <summary>Lazily adds the output columns to <paramref name="input"/>; no model runs until a cursor reads them.</summary>
    public IDataView Transform(IDataView input) => new BatchMappedDataView(input, Mapper, _name);

    /// <summary>Not supported: ML.NET's model format cannot hold transformers defined outside ML.NET.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx)
        => throw new NotSupportedException($"mlContext.Model.Save cannot store {_name} (ML.NET only loads its own transformer types). Save it with transformer.Save(path) and load it with AlignedGenTransformerFile.Load(path); see docs/mlnet.md.");

    /// <summary>Disposes the loaded models (cursors in use fail afterwards).</summary>
    public void Dispose()
    {
        if (_models.IsValueCreated) _models.Value.Dispose();
        GC.SuppressFinalize(this);
    }
}
