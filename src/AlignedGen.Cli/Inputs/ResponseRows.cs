using AlignedGen.Data;
using AlignedGen.Decoding;

namespace AlignedGen.Cli.Inputs;

/// <summary>One generated response as an output row: id, prompt, response, reward, strategy, finish reason and cost.</summary>
public static class ResponseRows
{
    public static readonly RecordSchema Schema = new(new[]
    {
        new RecordColumn("id", ColumnKind.Text), new RecordColumn("prompt", ColumnKind.Text), new RecordColumn("response", ColumnKind.Text),
        new RecordColumn("reward", ColumnKind.Number), new RecordColumn("strategy", ColumnKind.Text), new RecordColumn("finish_reason", ColumnKind.Text),
        new RecordColumn("tokens", ColumnKind.Number), new RecordColumn("prompt_tokens", ColumnKind.Number), new RecordColumn("lm_calls", ColumnKind.Number),
        new RecordColumn("rm_calls", ColumnKind.Number), new RecordColumn("ms", ColumnKind.Number),
    });

    public static DataRow From(GenerationResult r) => new()
    {
        ["id"] = r.Id,
        ["prompt"] = r.Prompt,
        ["response"] = r.Text,
        ["reward"] = r.Reward is { } reward ? (double)reward : null,
        ["strategy"] = r.Strategy,
        ["finish_reason"] = r.FinishReason.ToString().ToLowerInvariant(),
        ["tokens"] = r.TokenIds.Count,
        ["prompt_tokens"] = r.PromptTokenCount,
        ["lm_calls"] = r.Cost.LmCalls,
        ["rm_calls"] = r.Cost.RewardCalls,
        ["ms"] = Math.Round(r.Cost.Elapsed.TotalMilliseconds, 3),
    };
}
