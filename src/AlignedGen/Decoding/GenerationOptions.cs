namespace AlignedGen.Decoding;

/// <summary>What every decoding strategy shares: length, stopping, batching, prompt handling. Validated on creation.</summary>
public sealed record GenerationOptions
{
    public GenerationOptions(int maxNewTokens = AlignedGenDefaults.MaxNewTokens, int batchSize = AlignedGenDefaults.BatchSize,
        IReadOnlyList<string>? stopStrings = null, bool stopAtEos = true, bool addSpecialTokens = true, string? chatTemplate = null, int? seed = null)
    {
        if (maxNewTokens <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxNewTokens), maxNewTokens, $"Max new tokens must be at least 1, got {maxNewTokens}.");
        if (batchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"Batch size must be at least 1, got {batchSize}.");
        var stops = (stopStrings ?? Array.Empty<string>()).ToArray();
        for (int i = 0; i < stops.Length; i++)
            if (string.IsNullOrEmpty(stops[i]))
                throw new ArgumentException($"Stop string {i} is empty; every stop string needs at least one character.", nameof(stopStrings));
        MaxNewTokens = maxNewTokens;
        BatchSize = batchSize;
        StopStrings = stops;
        StopAtEos = stopAtEos;
        AddSpecialTokens = addSpecialTokens;
        ChatTemplate = chatTemplate;
        Seed = seed;
    }

    /// <summary>New tokens per prompt at most.</summary>
    public int MaxNewTokens { get; }
    /// <summary>Prompts decoded together.</summary>
    public int BatchSize { get; }
    /// <summary>Text that ends a response (the response is cut before it).</summary>
    public IReadOnlyList<string> StopStrings { get; }
    /// <summary>Stop when the model emits one of its EOS ids (the ARGS reference never does; we do by default).</summary>
    public bool StopAtEos { get; }
    /// <summary>Let the tokenizer add BOS (and other special tokens) to prompts.</summary>
    public bool AddSpecialTokens { get; }
    /// <summary>Chat template name to wrap prompts in ("chatml", "llama3", ...), "auto" to infer it from the folder, or null for raw prompts.</summary>
    public string? ChatTemplate { get; }

    /// <summary>Seed for every random choice (sampling, Best-of-N, DARWIN); null draws one per run. Row streams derive from it, so results do not depend on batch size.</summary>
    public int? Seed { get; }

    /// <summary>
    /// False (default): a row that cannot be generated (empty or whitespace prompt, prompt longer than the context, a
    /// reward failure for that row) gets a result with <see cref="FinishReason.Error"/> and the reason, and every other row
    /// goes on. True: the first such row throws, as before (nothing of its batch is returned).
    /// </summary>
    public bool FailFast { get; init; }

    /// <summary>
    /// False (default): each row's random stream comes from <see cref="Seed"/> and the row's position in the run. True:
    /// from the seed and the request's <see cref="GenerationRequest.Id"/> (required), so a row draws the same samples
    /// whatever else is in the run — what resumed and sharded jobs need.
    /// </summary>
    public bool SeedFromRequestId { get; init; }

    /// <summary>
    /// Most bytes of model cache one batch may hold: the LM's KV cache plus what the strategy keeps (Best-of-N's samples,
    /// DARWIN's beams, ARGS's k-fold reward-model candidate cache). A batch that needs more runs as consecutive
    /// sub-batches (same results; the cost's note says so); a prompt that needs more on its own is refused with a
    /// <see cref="MemoryBudgetExceededException"/>. Null (default): half the memory available when a run starts
    /// (<see cref="AlignedGenDefaults.MemoryBudgetShare"/>, <see cref="MemoryBudget.DefaultBytes"/>).
    /// </summary>
    public long? MemoryBudgetBytes
    {
        get;
        init => field = value is null or > 0
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MemoryBudgetBytes), value,
                $"The memory budget must be above 0 bytes, got {value}. Leave it unset to use half the available memory, or give a size such as 4L << 30 (4 GiB).");
    }

    /// <summary>All defaults.</summary>
    public static GenerationOptions Default { get; } = new();
}
