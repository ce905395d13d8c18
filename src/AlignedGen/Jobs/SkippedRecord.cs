namespace AlignedGen.Jobs;

/// <summary>An input record that was skipped as corrupt: its line and what was wrong.</summary>
public sealed record SkippedRecord(long LineNumber, string Problem);
