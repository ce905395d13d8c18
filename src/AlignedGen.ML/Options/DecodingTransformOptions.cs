using AlignedGen.Decoding;
using AlignedGen.Hub;
using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.ML;

/// <summary>
/// What every decoding transform shares: the language-model folder, the core <see cref="GenerationOptions"/>, where
/// extra output columns go, and run-time hooks (cancellation, progress) that are not saved. Validated when set.
/// </summary>
public abstract class DecodingTransformOptions
{
    private GenerationOptions _generation = GenerationOptions.Default;
    private string _rewardColumnName = "Reward";
    private ExecutionOptions? _execution;
    private string? _referenceColumnName, _tokenCountColumnName, _finishReasonColumnName, _costColumnName, _errorColumnName;
    private readonly object _resolveLock = new();
    private string? _modelFolder;

    /// <summary>
    /// Options over the ONNX causal LM in <paramref name="modelFolder"/>: a folder (checked to exist) or a Hugging Face Hub
    /// reference <c>hf:org/name[@revision][/subfolder]</c> (checked to parse; brought into the Hub cache when the
    /// transform is first built, with <see cref="Hub"/> and the variant for <see cref="Execution"/>'s device).
    /// </summary>
    protected DecodingTransformOptions(string modelFolder)
    {
        if (string.IsNullOrWhiteSpace(modelFolder))
            throw new ArgumentException("The model folder is blank. Fix: pass the folder that holds the LM's model.onnx, genai_config.json / config.json and tokenizer files, or hf:org/name for a model on the Hugging Face Hub.", nameof(modelFolder));
        if (HubModelReference.HasPrefix(modelFolder))
        {
            ModelReference = HubModelReference.Parse(modelFolder).ToString(); // a malformed reference fails here, naming the fix
            return;
        }
        var full = Path.GetFullPath(modelFolder);
        if (!Directory.Exists(full))
            throw new ModelFolderException(full, "the language-model folder does not exist.", "pass the folder that holds the LM's model.onnx and tokenizer files (DefaultModels.EnsureDemoModel() gives a tiny demo one), or hf:org/name for a model on the Hugging Face Hub.");
        ModelReference = _modelFolder = full;
    }

    /// <summary>The model as given: the folder's absolute path, or the <c>hf:</c> reference.</summary>
    public string ModelReference { get; }

    /// <summary>The language-model folder (absolute path); for a Hub reference, its folder in the Hub cache (downloaded on first use).</summary>
    public string ModelFolder
    {
        get
        {
            if (_modelFolder is not null) return _modelFolder;
            lock (_resolveLock)
                return _modelFolder ??= ModelLocation.ResolveFolder(ModelReference, Execution?.Device ?? ExecutionDevice.Cpu, Hub, HubProgress, Cancellation);
        }
    }

    /// <summary>Where <c>hf:</c> references are downloaded from and cached (null: the HF_* environment variables, as Python's huggingface_hub). Not saved.</summary>
    public HubOptions? Hub { get; init; }

    /// <summary>Download progress of a <c>hf:</c> model (not saved).</summary>
    public IProgress<HubDownloadProgress>? HubProgress { get; init; }

    /// <summary>Length, stopping, batching (rows per model call), prompt handling and seed. Set <see cref="GenerationOptions.Seed"/> for outputs that repeat across runs.</summary>
    public GenerationOptions Generation
    {
        get => _generation;
        init => _generation = value ?? throw new ArgumentNullException(nameof(Generation), "Pass GenerationOptions.Default for the defaults.");
    }

    /// <summary>Execution provider settings for the LM (null = CPU defaults).</summary>
    public ExecutionOptions? Execution { get => _execution; init => _execution = value; }

    /// <summary>Optional text column with a reference answer per prompt (the proxy reward's constrained branch uses it).</summary>
    public string? ReferenceColumnName { get => _referenceColumnName; init => _referenceColumnName = ColumnName(value, nameof(ReferenceColumnName)); }

    /// <summary>Name of the reward column (Single; produced when the transform has a reward). Default "Reward".</summary>
    public string RewardColumnName
    {
        get => _rewardColumnName;
        init => _rewardColumnName = ColumnName(value, nameof(RewardColumnName)) ?? throw new ArgumentNullException(nameof(RewardColumnName), "The reward column needs a name.");
    }

    /// <summary>Name of an Int32 column with the number of generated tokens; null (default) = not produced.</summary>
    public string? TokenCountColumnName { get => _tokenCountColumnName; init => _tokenCountColumnName = ColumnName(value, nameof(TokenCountColumnName)); }

    /// <summary>Name of a text column with the finish reason ("Eos", "Length", "Stop", "Error"); null (default) = not produced.</summary>
    public string? FinishReasonColumnName { get => _finishReasonColumnName; init => _finishReasonColumnName = ColumnName(value, nameof(FinishReasonColumnName)); }

    /// <summary>Name of a Single vector column [LmCalls, LmTokens, RewardCalls, RewardTokens, ElapsedMilliseconds] (with slot names); null (default) = not produced.</summary>
    public string? CostColumnName { get => _costColumnName; init => _costColumnName = ColumnName(value, nameof(CostColumnName)); }

    /// <summary>
    /// Name of a text column that holds, for a prompt that could not be generated (empty or whitespace, longer than the
    /// model's context, a reward that failed on its response), the reason — and is empty for every other row. With it, such
    /// a row gets an empty response, a NaN reward and finish reason "Error", and the other rows are generated. Null
    /// (default): the first such row stops the cursor with an error that names the row (set
    /// <see cref="GenerationOptions.FailFast"/> for the core's own exception).
    /// </summary>
    public string? ErrorColumnName { get => _errorColumnName; init => _errorColumnName = ColumnName(value, nameof(ErrorColumnName)); }

    /// <summary>The strategy and its options, as registered in <see cref="StrategyRegistry"/> (saved as its name and parameter values).</summary>
    public abstract StrategySpec Strategy { get; }

    /// <summary>The reward the transform opens, or null.</summary>
    internal abstract RewardReference? RewardReference { get; }

    /// <summary>The catalog name in errors and saved files: GenerateText, ApplyRewardGuidedDecoding or ApplyDarwinDecoding.</summary>
    internal abstract string TransformName { get; }

    /// <summary>Cancels decoding in every cursor of the transform (not saved).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Receives progress after each batch (not saved).</summary>
    public IProgress<GenerationProgress>? Progress { get; init; }

    /// <summary>Sets the shared members when a saved transformer is loaded (the same checks as the init accessors).</summary>
    internal void Restore(GenerationOptions generation, ExecutionOptions? execution, string? reference, string reward, string? tokenCount, string? finishReason, string? cost,
        string? error)
    {
        _generation = generation ?? throw new ArgumentNullException(nameof(generation));
        _execution = execution;
        _referenceColumnName = ColumnName(reference, nameof(ReferenceColumnName));
        _rewardColumnName = ColumnName(reward, nameof(RewardColumnName)) ?? throw new ArgumentNullException(nameof(reward));
        _tokenCountColumnName = ColumnName(tokenCount, nameof(TokenCountColumnName));
        _finishReasonColumnName = ColumnName(finishReason, nameof(FinishReasonColumnName));
        _costColumnName = ColumnName(cost, nameof(CostColumnName));
        _errorColumnName = ColumnName(error, nameof(ErrorColumnName));
    }

    internal static string? ColumnName(string? value, string parameter)
    {
        if (value is not null && string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"{parameter} is blank ('{value}'). Fix: pass a column name, or null to leave the column out.", parameter);
        return value;
    }
}
