namespace AlignedGen.PowerShell.Prompts;

/// <summary>
/// One prompt as it arrived from the pipeline or from -Prompt: the text plus the optional Id, Response and Reference
/// properties of the input object.
/// </summary>
/// <param name="Index">0-based position of the prompt in this command's input, counting every prompt received.</param>
/// <param name="Id">The input object's Id property, or null.</param>
/// <param name="Prompt">The prompt text (may be empty).</param>
/// <param name="Response">The input object's Response property (for cmdlets that score responses), or null.</param>
/// <param name="Reference">The input object's Reference property (a reference answer), or null.</param>
public sealed record PromptItem(long Index, string? Id, string Prompt, string? Response = null, string? Reference = null)
{
    /// <summary>The Id when the input had one, otherwise the index as text; use it to label output rows.</summary>
    public string IdOrIndex => Id ?? Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
