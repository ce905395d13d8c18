namespace AlignedGen.PowerShell.Prompts;

/// <summary>
/// Collects prompts into batches of a fixed size: <see cref="Add"/> returns a full batch when one is ready,
/// <see cref="Flush"/> returns the last, partial one. Order is kept. No PowerShell types; not thread-safe.
/// </summary>
public sealed class PromptBatcher
{
    private List<PromptItem> _pending;
    private long _nextIndex;

    /// <summary>Creates a batcher for batches of <paramref name="batchSize"/> prompts (at least 1).</summary>
    public PromptBatcher(int batchSize)
    {
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "BatchSize must be at least 1.");
        BatchSize = batchSize;
        _pending = new List<PromptItem>(batchSize);
    }

    /// <summary>Prompts per batch.</summary>
    public int BatchSize { get; }

    /// <summary>Prompts received so far (also the Index the next one gets).</summary>
    public long Count => _nextIndex;

    /// <summary>Adds a prompt; returns a full batch once <see cref="BatchSize"/> prompts are pending, else null.</summary>
    public IReadOnlyList<PromptItem>? Add(string prompt, string? id = null, string? response = null, string? reference = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        _pending.Add(new PromptItem(_nextIndex++, id, prompt, response, reference));
        return _pending.Count >= BatchSize ? Take() : null;
    }

    /// <summary>The pending prompts (fewer than a batch), or null when none are pending.</summary>
    public IReadOnlyList<PromptItem>? Flush() => _pending.Count > 0 ? Take() : null;

    private List<PromptItem> Take()
    {
        var batch = _pending;
        _pending = new List<PromptItem>(BatchSize);
        return batch;
    }
}
