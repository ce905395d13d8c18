using AlignedGen.Data;

namespace AlignedGen.Relabeling;

/// <summary>Options for <see cref="PreferencePairs.Build"/>. Each property is checked when set.</summary>
public sealed record PreferencePairOptions
{
    private readonly ColumnMap _columns = ColumnMap.Default;
    private readonly string _scoreColumn = "reward";
    private readonly double _margin;
    private readonly RecordReaderOptions _readerOptions = RecordReaderOptions.Default;

    /// <summary>Prompt, response, id and prompt-id columns of the scored input. Rows are grouped by PromptId when set, else by prompt text.</summary>
    public ColumnMap Columns
    {
        get => _columns;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(Columns));
            value.CheckDistinct(nameof(Columns));
            _columns = value;
        }
    }

    /// <summary>The score column (a number, or a list of numbers matching a list of responses); default "reward".</summary>
    public string ScoreColumn
    {
        get => _scoreColumn;
        init => _scoreColumn = string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException($"ScoreColumn is '{value}'. Fix: name the column holding the scores, e.g. \"reward\".", nameof(ScoreColumn))
            : value;
    }

    /// <summary>Pairing rule; default best vs worst.</summary>
    public PreferencePairMode Mode { get; init; } = PreferencePairMode.BestVsWorst;

    /// <summary>A pair is made only when score_chosen − score_rejected is strictly greater than this; default 0 (ties never pair).</summary>
    public double Margin
    {
        get => _margin;
        init => _margin = double.IsFinite(value) && value >= 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Margin), value, "Margin must be a finite number ≥ 0. Fix: use 0 to pair any strict difference.");
    }

    /// <summary>Input format; null means from the extension.</summary>
    public RecordFormat? InputFormat { get; init; }

    /// <summary>Output format; null means from the extension.</summary>
    public RecordFormat? OutputFormat { get; init; }

    /// <summary>Input reader options (CSV delimiter; CSV columns holding JSON lists are decoded automatically for the response and score columns).</summary>
    public RecordReaderOptions ReaderOptions { get => _readerOptions; init => _readerOptions = value ?? RecordReaderOptions.Default; }
}
