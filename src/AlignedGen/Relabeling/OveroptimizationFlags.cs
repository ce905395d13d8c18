using AlignedGen.Data;
using AlignedGen.Evaluation;

namespace AlignedGen.Relabeling;

/// <summary>
/// Adds the per-row over-optimisation check to a relabelled dataset: a file with a guiding-reward column and a
/// held-out (or proxy) reward column — two reward columns of one relabel run — and optionally a fluency (NLL) column.
/// The first pass measures the reference rows (the file itself, or a baseline file of unoptimised responses); the
/// second copies every row with <c>reward_gap</c>, <c>fluency_drift</c> (when a fluency column is named) and
/// <c>overoptimized</c> added, in constant memory. A pipeline keeps the rows whose <c>overoptimized</c> is false.
/// </summary>
public static class OveroptimizationFlags
{
    /// <summary>The output column of z(guiding) − z(held-out).</summary>
    public const string RewardGapColumn = "reward_gap";
    /// <summary>The output column of NLL − the reference's mean NLL.</summary>
    public const string FluencyDriftColumn = "fluency_drift";
    /// <summary>The output column of the verdict (true = looks reward-hacked).</summary>
    public const string FlagColumn = "overoptimized";

    /// <summary>
    /// Writes <paramref name="outputPath"/>: the rows of <paramref name="inputPath"/> with the check's columns added.
    /// <paramref name="baselinePath"/> (same column names) gives the reference rows; null uses the input's own rows, so
    /// a row is flagged when the guide likes it far more than the judge does compared with the rest of the dataset.
    /// Rows without both rewards (or whose rewards are lists) get empty check columns and are not flagged.
    /// </summary>
    public static OveroptimizationCount AddTo(string inputPath, string outputPath, string guidingColumn, string heldOutColumn,
        string? fluencyColumn = null, string? baselinePath = null, OveroptimizationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(inputPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(guidingColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(heldOutColumn);
        if (Path.GetFullPath(inputPath) == Path.GetFullPath(outputPath))
            throw new ArgumentException($"The output '{outputPath}' is the input file; write the flagged rows to another file.", nameof(outputPath));
        var reference = OveroptimizationBaseline.From(Measure(baselinePath ?? inputPath, guidingColumn, heldOutColumn, fluencyColumn, cancellationToken))
            ?? throw new DataFileException(baselinePath ?? inputPath, null,
                $"fewer than 2 rows have numeric '{guidingColumn}' and '{heldOutColumn}' values that vary, so there is nothing to standardise the rewards by.",
                "relabel the file with both reward sources first, or pass a baseline file with more rows.");
        options ??= OveroptimizationOptions.Default;

        int checkedRows = 0, gapFlags = 0, fluencyFlags = 0, flagged = 0;
        using var reader = RecordFiles.OpenReader(inputPath);
        using var writer = RecordFiles.CreateWriter(outputPath, options: new RecordWriterOptions
        {
            Columns = reader.DeclaredColumns?.Concat(OutputColumns(fluencyColumn)).Distinct().ToArray(),
        });
        var batch = new List<DataRow>();
        for (var row = reader.Read(); row is not null; row = reader.Read())
        {
            var check = reference.Check(row.GetNumber(guidingColumn), row.GetNumber(heldOutColumn), fluencyColumn is null ? null : row.GetNumber(fluencyColumn), options);
            var output = row.Clone();
            output[RewardGapColumn] = check.RewardGap;
            if (fluencyColumn is not null) output[FluencyDriftColumn] = check.FluencyDrift;
            output[FlagColumn] = check.Flagged;
            if (check.RewardGap is not null || check.FluencyDrift is not null) checkedRows++;
            if (check.RewardGapFlag) gapFlags++;
            if (check.FluencyFlag) fluencyFlags++;
            if (check.Flagged) flagged++;
            batch.Add(output);
            if (batch.Count < 1024) continue;
            cancellationToken.ThrowIfCancellationRequested();
            writer.Write(batch);
            batch.Clear();
        }
        if (batch.Count > 0) writer.Write(batch);
        writer.Flush(toDisk: true);
        return new OveroptimizationCount(checkedRows, gapFlags, fluencyFlags, flagged);
    }

    private static IEnumerable<string> OutputColumns(string? fluencyColumn)
        => fluencyColumn is null ? new[] { RewardGapColumn, FlagColumn } : new[] { RewardGapColumn, FluencyDriftColumn, FlagColumn };

    private static IEnumerable<(double?, double?, double?)> Measure(string path, string guiding, string heldOut, string? fluency, CancellationToken cancellationToken)
    {
        using var reader = RecordFiles.OpenReader(path);
        bool seenGuiding = false, seenHeldOut = false;
        long rows = 0;
        for (var row = reader.Read(); row is not null; row = reader.Read())
        {
            if (++rows % 1024 == 0) cancellationToken.ThrowIfCancellationRequested();
            seenGuiding |= row.Contains(guiding);
            seenHeldOut |= row.Contains(heldOut);
            yield return (row.GetNumber(guiding), row.GetNumber(heldOut), fluency is null ? null : row.GetNumber(fluency));
        }
        var missing = new[] { (guiding, seenGuiding), (heldOut, seenHeldOut) }.Where(c => !c.Item2).Select(c => c.Item1).ToArray();
        if (missing.Length > 0)
            throw new DataFileException(path, null, $"no row has the column{(missing.Length > 1 ? "s" : "")} {string.Join(" and ", missing.Select(m => $"'{m}'"))}.",
                "name the reward columns the relabel run wrote (e.g. 'reward_<source name>' when it scored with several sources).");
    }
}
