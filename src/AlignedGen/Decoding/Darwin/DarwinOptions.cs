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

    /// <summary>"darwin": mutated instructions and reward-guided replacement. A code-built mutator or custom mutation template cannot be written.</summary>
    public static StrategyDescriptor<DarwinOptions> Descriptor { get; } = new(
        "darwin", "DARWIN: instruction mutation and reward-guided replacement every m tokens; needs a reward",
        new[]
        {
            StrategyParameter.Integer<DarwinOptions>("m", "ReplacementPeriod", AlignedGenDefaults.DarwinReplacementPeriod, "tokens between reward-guided replacements", o => o.ReplacementPeriod),
            StrategyParameter.Integer<DarwinOptions>("keep", "Keep", AlignedGenDefaults.DarwinKeep, "states kept at each replacement", o => o.Keep),
            StrategyParameter.Integer<DarwinOptions>("iterations", "Iterations", AlignedGenDefaults.DarwinIterations, "mutation + replacement iterations", o => o.Iterations),
            StrategyParameter.Integer<DarwinOptions>("mutations", "Mutations", AlignedGenDefaults.DarwinBeams, "mutated instructions (beams) per mutation, M", o => o.Mutations),
            StrategyParameter.Integer<DarwinOptions>("rounds", "MutationRounds", AlignedGenDefaults.DarwinMutationRounds, "mutation calls per iteration", o => o.MutationRounds),
            StrategyParameter.Flag<DarwinOptions>("mutate", "Mutate", true, "1 = the LM rewrites the instruction, 0 = replacement-only search", o => o.Mutate),
            StrategyParameter.Integer<DarwinOptions>("mutation-tokens", "MutationMaxNewTokens", AlignedGenDefaults.DarwinMutationMaxNewTokens, "most tokens of one mutation", o => o.MutationMaxNewTokens),
            SamplingOptions.TemperatureParameter<DarwinOptions>(o => o.Sampling.Temperature),
            SamplingOptions.TopKParameter<DarwinOptions>(o => o.Sampling.TopK, AlignedGenDefaults.DarwinTopK),
            StrategyParameter.Integer<DarwinOptions>("archive", "ArchiveCandidates", AlignedGenDefaults.DarwinArchiveCandidates, "most-selected beams offered to the archive", o => o.ArchiveCandidates),
            StrategyParameter.Flag<DarwinOptions>("trace", "TraceSegments", false, "record every segment in the trace", o => o.TraceSegments),
            StrategyParameter.Text<DarwinOptions>("mutation-prompt", "MutationPrompt", null, "mutation prompt with an {instruction} placeholder (default: the library's)",
                o => o.MutationPrompt == DarwinMutationPrompt.Default ? null : o.MutationPrompt),
            StrategyParameter.Text<DarwinOptions>("mutation-template", "MutationChatTemplate", null, "built-in chat template of the mutation prompt (default: the generation's)",
                o => o.MutationChatTemplate?.Name),
        },
        a => new DarwinOptions(mutations: a.Integer("mutations"), replacementPeriod: a.Integer("m"), keep: a.Integer("keep"),
            iterations: a.Integer("iterations"), mutationRounds: a.Integer("rounds"), sampling: new SamplingOptions(a.Number("t"), a.Integer("top-k")),
            mutationPrompt: a.Text("mutation-prompt"), mutationMaxNewTokens: a.Integer("mutation-tokens"), mutate: a.Flag("mutate"),
            mutationChatTemplate: a.Text("mutation-template") is { } template ? ChatTemplate.FromName(template) : null,
            archiveCandidates: a.Integer("archive"), traceSegments: a.Flag("trace")),
        o => new DarwinStrategy(o),
        whyNotWritable: o => o.Mutator is not null
            ? $"its DARWIN options use a mutator built in code ({o.Mutator.GetType().Name}); use the model's own mutation (Mutator = null)"
            : o.MutationChatTemplate is { } t && !IsBuiltIn(t)
                ? $"its DARWIN mutation chat template '{t.Name}' is custom; use a built-in template (ChatTemplate.FromName) or null"
                : null);

    private static bool IsBuiltIn(ChatTemplate template)
    {
        try
        {
            return ReferenceEquals(ChatTemplate.FromName(template.Name), template);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";
}
