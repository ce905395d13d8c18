using System.Diagnostics.CodeAnalysis;
using AlignedGen.Decoding;
using AlignedGen.Evaluation;
using AlignedGen.Hub;
using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.ML;

/// <summary>
/// Options of <c>MeasureAlignmentQuality</c>: what to measure (the sources of <see cref="QualityEvaluatorOptions"/>, named
/// so they can be saved), rows per batch, an optional reference column and the metric columns' names. Every source is
/// optional; a metric whose source is absent gets no column. Validated when set.
/// </summary>
public sealed class MeasureQualityOptions
{
    /// <summary>Default name (after <see cref="ColumnPrefix"/>) of the held-out reward column.</summary>
    public const string HeldOutRewardName = "HeldOutReward";
    /// <summary>Default name (after <see cref="ColumnPrefix"/>) of the guiding reward column.</summary>
    public const string GuidingRewardName = "GuidingReward";
    /// <summary>Default name (after <see cref="ColumnPrefix"/>) of the diversity column.</summary>
    public const string DiversityName = "Diversity";
    /// <summary>Default name (after <see cref="ColumnPrefix"/>) of the coherence column.</summary>
    public const string CoherenceName = "Coherence";
    /// <summary>Default name (after <see cref="ColumnPrefix"/>) of the fluency column.</summary>
    public const string FluencyName = "Fluency";
    /// <summary>Default name (after <see cref="ColumnPrefix"/>) of the length column.</summary>
    public const string LengthName = "Length";

    private readonly int _batchSize = AlignedGenDefaults.BatchSize;
    private readonly string _columnPrefix = "";
    private readonly string? _referenceColumnName, _fluencyHubReference;
    private string? _fluencyModelFolder;
    private readonly object _resolveLock = new();
    private readonly string? _heldOut, _guiding, _diversity, _coherence, _fluency, _length;
    private readonly GenerationOptions _promptEncoding = GenerationOptions.Default;

    /// <summary>A reward the responses are judged by, never used to guide them (column <see cref="HeldOutRewardColumnName"/>); null = not measured.</summary>
    public RewardReference? HeldOutReward { get; init; }

    /// <summary>The reward that guided the responses (column <see cref="GuidingRewardColumnName"/>); null = not measured. An equal reference to <see cref="HeldOutReward"/> is opened and called once.</summary>
    public RewardReference? GuidingReward { get; init; }

    /// <summary>The sentence embedder for coherence (e.g. <see cref="EmbedderReference.MiniLm"/>); null = not measured.</summary>
    public EmbedderReference? Embedder { get; init; }

    /// <summary>
    /// The generator's ONNX LM folder, or a Hub reference <c>hf:org/name[@revision][/subfolder]</c> (downloaded into the Hub
    /// cache with <see cref="Hub"/> on first use): fluency (mean NLL) is measured under it and lengths count its tokens;
    /// null = no fluency, lengths in whitespace words. Reads back as the local folder.
    /// </summary>
    public string? FluencyModelFolder
    {
        get
        {
            if (_fluencyModelFolder is not null || _fluencyHubReference is null) return _fluencyModelFolder;
            lock (_resolveLock)
                return _fluencyModelFolder ??= ModelLocation.ResolveFolder(_fluencyHubReference, Execution?.Device ?? ExecutionDevice.Cpu, Hub, cancellationToken: Cancellation);
        }
        init
        {
            _fluencyHubReference = null;
            if (value is null)
            {
                _fluencyModelFolder = null;
                return;
            }
            if (string.IsNullOrWhiteSpace(value))
                throw new ArgumentException($"{nameof(FluencyModelFolder)} is blank ('{value}'). Fix: pass the generator's model folder, or null to leave fluency out.", nameof(FluencyModelFolder));
            if (HubModelReference.HasPrefix(value))
            {
                _fluencyHubReference = HubModelReference.Parse(value).ToString();
                _fluencyModelFolder = null;
                return;
            }
            var full = Path.GetFullPath(value);
            if (!Directory.Exists(full))
                throw new ModelFolderException(full, "the fluency (generator) model folder does not exist.", "pass the folder that holds the generator's model.onnx and tokenizer files, hf:org/name for a model on the Hugging Face Hub, or null to leave fluency out.");
            _fluencyModelFolder = full;
        }
    }

    /// <summary>Where a <c>hf:</c> fluency model is downloaded from and cached (null: the HF_* environment variables). Not saved.</summary>
    public HubOptions? Hub { get; init; }

    /// <summary>Execution provider settings for the fluency model (null = CPU defaults).</summary>
    public ExecutionOptions? Execution { get; init; }

    /// <summary>How prompts are encoded for fluency, as the generator saw them; only ChatTemplate and AddSpecialTokens matter. Default: raw prompt with BOS.</summary>
    public GenerationOptions PromptEncoding
    {
        get => _promptEncoding;
        init => _promptEncoding = value ?? throw new ArgumentNullException(nameof(PromptEncoding), "Pass GenerationOptions.Default for raw prompts with BOS.");
    }

    /// <summary>Measure ARGS diversity (over whitespace words). Default true.</summary>
    public bool MeasureDiversity { get; init; } = true;

    /// <summary>Rows per evaluation batch (one reward, embedding and fluency batch each). Default 16.</summary>
    public int BatchSize
    {
        get => _batchSize;
        init => _batchSize = value >= 1 ? value
            : throw new ArgumentOutOfRangeException(nameof(BatchSize), value, $"{nameof(BatchSize)} must be at least 1, got {value}. Fix: use e.g. {AlignedGenDefaults.BatchSize}.");
    }

    /// <summary>Optional text column with a reference answer per row (passed to the rewards; empty cells mean none).</summary>
    public string? ReferenceColumnName { get => _referenceColumnName; init => _referenceColumnName = DecodingTransformOptions.ColumnName(value, nameof(ReferenceColumnName)); }

    /// <summary>Put before every default metric column name (e.g. "Quality." gives "Quality.Diversity"). Default "" (no prefix).</summary>
    public string ColumnPrefix
    {
        get => _columnPrefix;
        init => _columnPrefix = value ?? throw new ArgumentNullException(nameof(ColumnPrefix), "Pass \"\" for no prefix.");
    }

    /// <summary>Held-out reward column (Double); null = <see cref="ColumnPrefix"/> + "HeldOutReward".</summary>
    [AllowNull]
    public string HeldOutRewardColumnName { get => _heldOut ?? _columnPrefix + HeldOutRewardName; init => _heldOut = Name(value, nameof(HeldOutRewardColumnName)); }

    /// <summary>Guiding reward column (Double); null = <see cref="ColumnPrefix"/> + "GuidingReward".</summary>
    [AllowNull]
    public string GuidingRewardColumnName { get => _guiding ?? _columnPrefix + GuidingRewardName; init => _guiding = Name(value, nameof(GuidingRewardColumnName)); }

    /// <summary>Diversity column (Double); null = <see cref="ColumnPrefix"/> + "Diversity".</summary>
    [AllowNull]
    public string DiversityColumnName { get => _diversity ?? _columnPrefix + DiversityName; init => _diversity = Name(value, nameof(DiversityColumnName)); }

    /// <summary>Coherence column (Double); null = <see cref="ColumnPrefix"/> + "Coherence".</summary>
    [AllowNull]
    public string CoherenceColumnName { get => _coherence ?? _columnPrefix + CoherenceName; init => _coherence = Name(value, nameof(CoherenceColumnName)); }

    /// <summary>Fluency column (Double, NaN for an empty response); null = <see cref="ColumnPrefix"/> + "Fluency".</summary>
    [AllowNull]
    public string FluencyColumnName { get => _fluency ?? _columnPrefix + FluencyName; init => _fluency = Name(value, nameof(FluencyColumnName)); }

    /// <summary>Length column (Int32: generator tokens, or whitespace words without a fluency model); null = <see cref="ColumnPrefix"/> + "Length".</summary>
    [AllowNull]
    public string LengthColumnName { get => _length ?? _columnPrefix + LengthName; init => _length = Name(value, nameof(LengthColumnName)); }

    /// <summary>Every model folder the options name (fluency model, reward models, embedder), for fingerprints.</summary>
    internal IEnumerable<string?> Folders => new[] { FluencyModelFolder, Embedder?.Folder }
        .Concat(GuidingReward?.Folders ?? Enumerable.Empty<string>()).Concat(HeldOutReward?.Folders ?? Enumerable.Empty<string>());

    /// <summary>Cancels measuring in every cursor (not saved).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Receives progress after each batch (not saved).</summary>
    public IProgress<EvaluationProgress>? Progress { get; init; }

    private static string? Name(string? value, string parameter)
        => DecodingTransformOptions.ColumnName(value, parameter);
}
