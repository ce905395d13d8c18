using AlignedGen.Data;
using AlignedGen.Decoding;

namespace AlignedGen.Generation;

/// <summary>
/// The one field-name schema of a generation result row in files (snake_case; docs/data-schema.md): every surface that
/// writes results to a file — the generation job, the CLI, the cmdlets' exports — writes these columns from here.
/// </summary>
public static class ResultColumns
{
    public const string Id = "id";
    public const string Prompt = "prompt";
    public const string Response = "response";
    public const string FinishReason = "finish_reason";
    public const string Error = "error";
    public const string Reward = "reward";
    public const string Strategy = "strategy";
    public const string Tokens = "tokens";
    public const string PromptTokens = "prompt_tokens";
    public const string LmCalls = "lm_calls";
    public const string LmTokens = "lm_tokens";
    public const string RewardCalls = "rm_calls";
    public const string RewardTokens = "rm_tokens";
    public const string RowShareMs = "row_share_ms";
    public const string BatchMs = "batch_ms";
    public const string BatchRows = "batch_rows";

    /// <summary>The columns a generation job adds to each input row, in order.</summary>
    public static IReadOnlyList<string> All { get; } = new[]
    {
        Response, FinishReason, Error, Reward, Strategy, Tokens, PromptTokens, LmCalls, LmTokens, RewardCalls, RewardTokens, RowShareMs, BatchMs, BatchRows,
    };

    /// <summary>The file name of a finish reason ("eos", "length", "stop", "error").</summary>
    public static string FinishReasonName(Decoding.FinishReason reason) => reason.ToString().ToLowerInvariant();

    /// <summary>
    /// Sets the result columns of <paramref name="row"/> from <paramref name="result"/> (a column of the same name is
    /// replaced in place). Without <paramref name="timings"/>, the batch-dependent columns (row_share_ms, batch_ms,
    /// batch_rows) are null, so that reruns, resumed runs and shards write identical bytes.
    /// </summary>
    public static DataRow Set(DataRow row, GenerationResult result, bool timings = true)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(result);
        row[Response] = result.Text;
        row[FinishReason] = FinishReasonName(result.FinishReason);
        row[Error] = result.Error;
        row[Reward] = result.Reward;
        row[Strategy] = result.Strategy;
        row[Tokens] = result.TokenIds.Count;
        row[PromptTokens] = result.PromptTokenCount;
        row[LmCalls] = result.Cost.LmCalls;
        row[LmTokens] = result.Cost.LmTokens;
        row[RewardCalls] = result.Cost.RewardCalls;
        row[RewardTokens] = result.Cost.RewardTokens;
        row[RowShareMs] = timings ? Math.Round(result.Cost.Elapsed.TotalMilliseconds, 3) : null;
        row[BatchMs] = timings ? Math.Round(result.Cost.BatchElapsed.TotalMilliseconds, 3) : null;
        row[BatchRows] = timings ? result.Cost.BatchRows : null;
        return row;
    }

    /// <summary>A result as a row of its own: id, prompt, then the result columns.</summary>
    public static DataRow ToRow(GenerationResult result) =>
        Set(new DataRow { [Id] = result.Id, [Prompt] = result.Prompt }, result);
}
