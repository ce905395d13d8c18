using AlignedGen.Data;

namespace AlignedGen.Relabeling;

/// <summary>
/// Builds DPO-style preference pairs from a scored dataset: rows are grouped by prompt id (or prompt text), and each
/// group's responses are paired by score. Output columns: [prompt_id], prompt, chosen, rejected, score_chosen,
/// score_rejected, [chosen_id, rejected_id]. Groups are held in memory (responses and scores only) and written in order
/// of first appearance.
/// </summary>
public static class PreferencePairs
{
    private sealed record Candidate(string Response, double Score, string? Id);

    private sealed class Group(string? promptId, string prompt)
    {
        public string? PromptId { get; } = promptId;
        public string Prompt { get; } = prompt;
        public List<Candidate> Candidates { get; } = new();
    }

    /// <summary>Reads <paramref name="inputPath"/>, writes the pairs to <paramref name="outputPath"/>, returns counts (skipped prompts included).</summary>
    public static PreferencePairSummary Build(string inputPath, string outputPath, PreferencePairOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new PreferencePairOptions();
        ArgumentException.ThrowIfNullOrEmpty(inputPath);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        var outFormat = options.OutputFormat ?? RecordFiles.FormatFromPath(outputPath);
        OutputFile.Check(outputPath, new[] { inputPath });
        var (groups, rows, responses) = ReadGroups(inputPath, options, cancellationToken);

        var map = options.Columns;
        var columns = new List<RecordColumn>();
        if (map.PromptId is not null) columns.Add(new RecordColumn("prompt_id", ColumnKind.Text));
        columns.AddRange(new[]
        {
            new RecordColumn("prompt", ColumnKind.Text), new RecordColumn("chosen", ColumnKind.Text), new RecordColumn("rejected", ColumnKind.Text),
            new RecordColumn("score_chosen", ColumnKind.Number), new RecordColumn("score_rejected", ColumnKind.Number),
        });
        if (map.Id is not null) columns.AddRange(new[] { new RecordColumn("chosen_id", ColumnKind.Text), new RecordColumn("rejected_id", ColumnKind.Text) });
        var schema = new RecordSchema(columns);
        var writerOptions = new RecordWriterOptions { Schema = schema, Columns = columns.Select(c => c.Name).ToArray() };

        long pairs = 0, single = 0, noGap = 0, identical = 0;
        using (var writer = RecordFiles.CreateAtomicWriter(outputPath, outFormat, writerOptions, new[] { inputPath }))
        {
            var batch = new List<DataRow>(1000);
            foreach (var group in groups)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (group.Candidates.Count < 2)
                {
                    single++;
                    continue;
                }
                var made = 0;
                foreach (var (chosen, rejected) in Select(group.Candidates, options.Mode, options.Margin))
                {
                    if (chosen.Response == rejected.Response)
                    {
                        identical++;
                        continue;
                    }
                    var row = new DataRow();
                    if (map.PromptId is not null) row["prompt_id"] = group.PromptId;
                    row["prompt"] = group.Prompt;
                    row["chosen"] = chosen.Response;
                    row["rejected"] = rejected.Response;
                    row["score_chosen"] = chosen.Score;
                    row["score_rejected"] = rejected.Score;
                    if (map.Id is not null)
                    {
                        row["chosen_id"] = chosen.Id;
                        row["rejected_id"] = rejected.Id;
                    }
                    batch.Add(row);
                    made++;
                    if (batch.Count == 1000) { writer.Write(batch); batch.Clear(); }
                }
                if (made == 0) noGap++;
                pairs += made;
            }
            if (batch.Count > 0) writer.Write(batch);
            writer.Commit();
        }
        return new PreferencePairSummary
        {
            RowsRead = rows,
            Responses = responses,
            Prompts = groups.Count,
            PairsWritten = pairs,
            PromptsSkippedSingleResponse = single,
            PromptsSkippedNoScoreGap = noGap,
            PairsSkippedIdenticalText = identical,
        };
    }

    private static IEnumerable<(Candidate Chosen, Candidate Rejected)> Select(List<Candidate> c, PreferencePairMode mode, double margin)
    {
        if (mode == PreferencePairMode.BestVsWorst)
        {
            int best = 0, worst = 0;
            for (var i = 1; i < c.Count; i++)
            {
                if (c[i].Score > c[best].Score) best = i;
                if (c[i].Score < c[worst].Score) worst = i;
            }
            if (c[best].Score - c[worst].Score > margin) yield return (c[best], c[worst]);
            yield break;
        }
        for (var i = 0; i < c.Count; i++)
            for (var j = i + 1; j < c.Count; j++)
            {
                if (c[i].Score - c[j].Score > margin) yield return (c[i], c[j]);
                else if (c[j].Score - c[i].Score > margin) yield return (c[j], c[i]);
            }
    }

    private static (List<Group> Groups, long Rows, long Responses) ReadGroups(string inputPath, PreferencePairOptions options, CancellationToken cancellationToken)
    {
        var map = options.Columns;
        var expected = new[] { map.PromptId, map.Prompt, map.Response, options.ScoreColumn }.Where(c => c is not null).Select(c => c!).ToArray();
        var groups = new List<Group>();
        var byKey = new Dictionary<string, Group>(StringComparer.Ordinal);
        long rows = 0, responses = 0;
        using var reader = RecordFiles.OpenReader(inputPath, options.InputFormat, options.ReaderOptions);
        if (reader.DeclaredColumns is { } declared && expected.Where(c => !declared.Contains(c)).ToArray() is { Length: > 0 } absent)
            throw new MissingColumnsException(inputPath, null, absent, expected, declared);
        for (var row = reader.Read(); row is not null; row = reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            rows++;
            var line = reader.LineNumber;
            var missing = expected.Where(c => !row.Contains(c)).ToArray();
            if (missing.Length > 0) throw new MissingColumnsException(inputPath, line, missing, expected, row.ColumnNames);
            var prompt = row.GetText(map.Prompt)!;
            var promptId = map.PromptId is null ? null : row.GetText(map.PromptId);
            var key = promptId ?? prompt;
            if (!byKey.TryGetValue(key, out var group))
            {
                group = new Group(promptId, prompt);
                byKey.Add(key, group);
                groups.Add(group);
            }
            var id = map.Id is not null && row.TryGetValue(map.Id, out var idValue) && idValue is not null ? DataValues.ToText(idValue) : null;
            row.TryGetValue(map.Response, out var response);
            row.TryGetValue(options.ScoreColumn, out var score);
            if (reader.Format is RecordFormat.Csv or RecordFormat.Tsv && response is string text && DataValues.TryParseListCell(text) is string[] parsed)
                response = parsed;
            if (response is string[] list)
            {
                var scores = score is string s ? DataValues.TryParseListCell(s) : score;
                if (scores is string[] { Length: 0 }) scores = Array.Empty<double>();
                if (scores is not double[] values || values.Length != list.Length || values.Any(v => !double.IsFinite(v)))
                    throw new DataFileException(inputPath, line,
                        $"the response column '{map.Response}' holds {list.Length} responses but the score column '{options.ScoreColumn}' holds {DataValues.KindName(scores)} ({Shorten(DataValues.ToText(scores))}), not {list.Length} finite numbers.",
                        "relabel the file first (RelabelJob writes one score per response), or set ScoreColumn.");
                for (var i = 0; i < list.Length; i++) group.Candidates.Add(new Candidate(list[i], values[i], id is null ? null : $"{id}#{i}"));
                responses += list.Length;
                continue;
            }
            var number = row.GetNumber(options.ScoreColumn);
            if (number is not { } value || !double.IsFinite(value))
                throw new DataFileException(inputPath, line,
                    $"the score column '{options.ScoreColumn}' holds {DataValues.KindName(score)} ({Shorten(DataValues.ToText(score))}), not a finite number.",
                    "relabel the file first (RelabelJob), or set ScoreColumn to the column holding the scores.");
            group.Candidates.Add(new Candidate(response is string r ? r : DataValues.ToText(response), value, id));
            responses++;
        }
        return (groups, rows, responses);
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";
}
