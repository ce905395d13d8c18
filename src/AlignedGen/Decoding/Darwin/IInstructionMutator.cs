namespace AlignedGen.Decoding;

/// <summary>
/// DARWIN's exploration step: rewrites parent instructions into variants with the same intent. The default asks the
/// decoding model itself with the few-shot mutation prompt; a custom mutator can ask another (instruction-following)
/// model or return fixed rewrites.
/// </summary>
public interface IInstructionMutator
{
    /// <summary>
    /// For each of <paramref name="parents"/>, <paramref name="rounds"/> mutations of exactly <paramref name="count"/>
    /// instructions each (a mutation that failed returns copies of the parent with <see cref="DarwinMutation.Parsed"/>
    /// false). <paramref name="iteration"/> (1-based) lets a mutator vary its draws between iterations.
    /// </summary>
    IReadOnlyList<IReadOnlyList<DarwinMutation>> Mutate(DecodingContext context, IReadOnlyList<string> parents, int count, int rounds, int iteration, CancellationToken cancellationToken);
}
