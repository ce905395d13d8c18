namespace AlignedGen.Decoding;

/// <summary>An archive instruction and the best reward a response to it reached (against the original instruction).</summary>
public sealed record DarwinArchiveEntry(string Instruction, float Reward);
