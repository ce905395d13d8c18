using AlignedGen.Tokenization;

namespace AlignedGen.Decoding;

/// <summary>
/// DARWIN settings (Hung et al., 2024). Validated on creation; defaults from <see cref="AlignedGenDefaults"/>: 5 mutated
/// instructions, replacement every 40 tokens keeping the top 3 states, 3 iterations, sampling at T = 0.7 with top-k 40.
/// </summary>
public sealed record DarwinOptions
{
    public DarwinOptions(
        int mutations = AlignedGenDefaults.DarwinBeams,
        int replacementPeriod = AlignedGenDefaults.DarwinReplacementPeriod,
        int keep = AlignedGenDefaults.DarwinKeep,
        int iterations = AlignedGenDefaults.DarwinIterations,
        int mutationRounds = AlignedGenDefaults.DarwinMutationRounds,
        SamplingOptions? sampling = null,
        string? mutationPrompt = null,
        int mutationMaxNewTokens = AlignedGenDefaults.DarwinMutationMaxNewTokens,
        bool mutate = true,
        ChatTemplate? mutationChatTemplate = null,
        int archiveCandidates = AlignedGenDefaults.DarwinArchiveCandidates,
        bool traceSegments = false,
        IInstructionMutator? mutator = null)
    {
        if (mutations < 1)
            throw new ArgumentOutOfRangeException(nameof(mutations), mutations, $"DARWIN needs at least 1 mutated instruction per mutation (M), got {mutations}. The paper uses 5.");
        if (replacementPeriod < 1)
            throw new ArgumentOutOfRangeException(nameof(replacementPeriod), replacementPeriod, $"The replacement period m must be at least 1 token, got {replacementPeriod}. The paper uses 40.");
        if (mutationRounds < 1)
            throw new ArgumentOutOfRangeException(nameof(mutationRounds), mutationRounds, $"DARWIN needs at least 1 mutation round (n_mutation) per iteration, got {mutationRounds}. The paper uses 1.");
        int beams = mutations * mutationRounds;
        if (keep < 1 || keep > beams)
            throw new ArgumentOutOfRangeException(nameof(keep), keep, $"DARWIN keeps between 1 and the number of beams ({mutations} mutations × {mutationRounds} rounds = {beams}) states at each replacement, got {keep}. The paper keeps 3 of 5.");
        if (iterations < 1)
            throw new ArgumentOutOfRangeException(nameof(iterations), iterations, $"DARWIN needs at least 1 iteration, got {iterations}. The paper runs 3.");
        if (mutationMaxNewTokens < 1)
            throw new ArgumentOutOfRangeException(nameof(mutationMaxNewTokens), mutationMaxNewTokens, $"The model needs at least 1 token to write mutated instructions, got {mutationMaxNewTokens}. Use e.g. {AlignedGenDefaults.DarwinMutationMaxNewTokens}.");
        if (archiveCandidates < 1)
            throw new ArgumentOutOfRangeException(nameof(archiveCandidates), archiveCandidates, $"At least 1 most-selected beam must be offered to the archive, got {archiveCandidates}. The paper offers 2.");
        mutationPrompt ??= DarwinMutationPrompt.Default;
        if (!mutationPrompt.Contains(DarwinMutationPrompt.InstructionPlaceholder, StringComparison.Ordinal))
            throw new ArgumentException(
                $"The mutation prompt \"{Shorten(mutationPrompt)}\" has no {DarwinMutationPrompt.InstructionPlaceholder} placeholder; add it where the instruction to rewrite goes.",
                nameof(mutationPrompt));
        sampling ??= new SamplingOptions(temperature: AlignedGenDefaults.Temperature, topK: AlignedGenDefaults.DarwinTopK);
        Mutations = mutations;
        ReplacementPeriod = replacementPeriod;
        Keep = keep;
        Iterations = iterations;
        MutationRounds = mutationRounds;
        Sampling = sampling;
        MutationPrompt = mutationPrompt;
        MutationMaxNewTokens = mutationMaxNewTokens;
        Mutate = mutate;
        MutationChatTemplate = mutationChatTemplate;
        ArchiveCandidates = archiveCandidates;
        TraceSegments = traceSegments;
        Mutator = mutator;
    }

    /// <summary>Mutated instructions asked for per mutation (M).</summary>
    public int Mutations { get; }
    /// <summary>Tokens each beam decodes between reward-guided replacements (m).</summary>
    public int ReplacementPeriod { get; }
    /// <summary>Top states kept at each replacement; every other running beam takes one of their responses.</summary>
    public int Keep { get; }
    /// <summary>Iterations of mutation + replacement search after the seed response.</summary>
    public int Iterations { get; }
    /// <summary>Mutation calls per iteration (n_mutation).</summary>
    public int MutationRounds { get; }
    /// <summary>Beams per iteration: <see cref="Mutations"/> × <see cref="MutationRounds"/>, one per instruction.</summary>
    public int Beams => Mutations * MutationRounds;
    /// <summary>How the seed, the mutations and the beams sample tokens.</summary>
    public SamplingOptions Sampling { get; }
    /// <summary>The mutation prompt, with {instruction} (and optionally {count}) placeholders.</summary>
    public string MutationPrompt { get; }
    /// <summary>Most tokens the model may write for one mutation.</summary>
    public int MutationMaxNewTokens { get; }
    /// <summary>False skips mutation: every beam keeps the parent instruction (replacement-only search).</summary>
    public bool Mutate { get; }
    /// <summary>Chat format the default mutator wraps its prompt in; null uses the generation options' template or, failing that, the one the model's folder declares.</summary>
    public ChatTemplate? MutationChatTemplate { get; }
    /// <summary>Most-selected beams whose instructions may join the archive after each iteration.</summary>
    public int ArchiveCandidates { get; }
    /// <summary>Who rewrites instructions; null asks the decoding model itself with <see cref="MutationPrompt"/>.</summary>
    public IInstructionMutator? Mutator { get; }
    /// <summary>Record every segment (rewards, kept states, replacements, responses) in the trace.</summary>
    public bool TraceSegments { get; }

    /// <summary>The paper's defaults.</summary>
    public static DarwinOptions Default { get; } = new();

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
