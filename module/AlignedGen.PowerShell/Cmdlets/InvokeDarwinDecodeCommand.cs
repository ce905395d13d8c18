using System.Management.Automation;
using AlignedGen.Decoding;
using AlignedGen.PowerShell.Output;
using AlignedGen.PowerShell.Prompts;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// Invoke-DarwinDecode: generates a response per prompt with DARWIN (mutated instructions + reward-guided replacement,
/// the core's <see cref="DarwinStrategy"/>) through TextGenerator, and writes a <see cref="DecodedResponse"/> per prompt in
/// input order; with -IncludeTrace each one carries the core's <see cref="DarwinTrace"/> as a Trace note property.
/// Decoding runs as in Invoke-RewardGuidedDecode (see <see cref="DecodingCmdlet"/>). A reward is required.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "DarwinDecode")]
[OutputType(typeof(DecodedResponse))]
public sealed class InvokeDarwinDecodeCommand : DecodingCmdlet
{
    /// <summary>Name of the note property -IncludeTrace adds to each result.</summary>
    public const string TracePropertyName = "Trace";

    /// <summary>Mutated instructions asked for per mutation (M).</summary>
    [Parameter]
    public int Mutations { get; set; } = AlignedGenDefaults.DarwinBeams;

    /// <summary>Tokens each beam decodes between reward-guided replacements (m).</summary>
    [Parameter]
    public int ReplacementPeriod { get; set; } = AlignedGenDefaults.DarwinReplacementPeriod;

    /// <summary>Top states kept at each replacement.</summary>
    [Parameter]
    public int Keep { get; set; } = AlignedGenDefaults.DarwinKeep;

    /// <summary>Iterations of mutation + replacement search after the seed response.</summary>
    [Parameter]
    public int Iterations { get; set; } = AlignedGenDefaults.DarwinIterations;

    /// <summary>Mutation calls per iteration (n_mutation); beams = Mutations × MutationRounds.</summary>
    [Parameter]
    public int MutationRounds { get; set; } = AlignedGenDefaults.DarwinMutationRounds;

    /// <summary>Sampling temperature of the seed, the mutations and the beams.</summary>
    [Parameter]
    public double Temperature { get; set; } = AlignedGenDefaults.Temperature;

    /// <summary>Top-k filter of the seed, the mutations and the beams (0 = off).</summary>
    [Parameter]
    public int TopK { get; set; } = AlignedGenDefaults.DarwinTopK;

    /// <summary>The mutation prompt with an {instruction} (and optionally {count}) placeholder; the library's default when absent.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MutationPrompt { get; set; }

    /// <summary>Most tokens the model may write for one mutation.</summary>
    [Parameter]
    public int MutationMaxNewTokens { get; set; } = AlignedGenDefaults.DarwinMutationMaxNewTokens;

    /// <summary>Skip mutation: every beam keeps the parent instruction (replacement-only search).</summary>
    [Parameter]
    public SwitchParameter NoMutation { get; set; }

    /// <summary>Add the core's DarwinTrace to each result as a Trace property.</summary>
    [Parameter]
    public SwitchParameter IncludeTrace { get; set; }

    /// <inheritdoc />
    protected override (string Strategy, string Alternative) RewardRequiredWording => ("DARWIN (it scores its beams)", "");

    /// <inheritdoc />
    protected override IDecodingStrategy CreateStrategy() => new DarwinStrategy(new DarwinOptions(
        mutations: Mutations,
        replacementPeriod: ReplacementPeriod,
        keep: Keep,
        iterations: Iterations,
        mutationRounds: MutationRounds,
        sampling: new SamplingOptions(Temperature, TopK),
        mutationPrompt: MutationPrompt,
        mutationMaxNewTokens: MutationMaxNewTokens,
        mutate: !NoMutation));

    /// <inheritdoc />
    protected override object ToOutput(GenerationResult result, DecodedResponse response)
    {
        if (!IncludeTrace) return response;
        var wrapped = PSObject.AsPSObject(response);
        wrapped.Properties.Add(new PSNoteProperty(TracePropertyName, result.Trace));
        return wrapped;
    }
}
