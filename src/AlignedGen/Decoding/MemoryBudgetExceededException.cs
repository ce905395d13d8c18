namespace AlignedGen.Decoding;

/// <summary>
/// A single prompt needs more model cache than the memory budget allows, so it cannot run even alone. The message names
/// the model, the prompt, its length, the bytes needed and the budget, and how to fix it; the properties carry the numbers.
/// </summary>
public sealed class MemoryBudgetExceededException : InvalidOperationException
{
    public MemoryBudgetExceededException(string message, string model, int promptIndex, int tokens, long bytesNeeded, long budgetBytes)
        : base(message)
    {
        Model = model;
        PromptIndex = promptIndex;
        Tokens = tokens;
        BytesNeeded = bytesNeeded;
        BudgetBytes = budgetBytes;
    }

    /// <summary>The language model's name.</summary>
    public string Model { get; }

    /// <summary>Position of the prompt in the run's requests.</summary>
    public int PromptIndex { get; }

    /// <summary>Positions the prompt's rows reach (prompt tokens + new tokens).</summary>
    public int Tokens { get; }

    /// <summary>Model-cache bytes the prompt needs on its own.</summary>
    public long BytesNeeded { get; }

    /// <summary>The memory budget in force.</summary>
    public long BudgetBytes { get; }
}
