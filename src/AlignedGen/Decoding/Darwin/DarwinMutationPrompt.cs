namespace AlignedGen.Decoding;

/// <summary>
/// DARWIN's mutation prompt: the few-shot "professional prompt engineer" request that asks the model to rewrite an
/// instruction into clearer variants with the same intent, answered as a numbered list.
/// </summary>
public static class DarwinMutationPrompt
{
    /// <summary>Where the instruction to rewrite goes (required in a custom prompt).</summary>
    public const string InstructionPlaceholder = "{instruction}";

    /// <summary>Where the number of variants goes (optional).</summary>
    public const string CountPlaceholder = "{count}";

    /// <summary>
    /// The default prompt, after the paper's (Hung et al., 2024): role, task, hint, one worked example with five
    /// variants, then the instruction to rewrite. Its example lists five items; with another count, give a prompt whose
    /// example lists that many.
    /// </summary>
    public const string Default =
        "You are a professional prompt engineer. You are given an original instruction, and your goal is to mutate it into " +
        "{count} different instructions that make the original instruction clearer. The mutated instructions must not drift " +
        "from the original instruction and must keep its general intention.\n" +
        "Hint: think of adding details, removing details, or changing some of the phrasing when you mutate the instruction.\n" +
        "Only give the mutated instructions, as a numbered list.\n" +
        "Original instruction: How to make a cake?\n" +
        "1. How to bake a delicious cake?\n" +
        "2. Step-by-step guide to making a perfect cake from scratch\n" +
        "3. How to bake a cake?\n" +
        "4. Detailed instructions for creating a professional-quality cake at home\n" +
        "5. How to prepare a beautiful homemade cake?\n" +
        "Original instruction: {instruction}\n";

    /// <summary>Fills <paramref name="template"/>'s placeholders with the instruction and the number of variants wanted.</summary>
    public static string Format(string template, string instruction, int count)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(instruction);
        if (!template.Contains(InstructionPlaceholder, StringComparison.Ordinal))
            throw new ArgumentException($"The mutation prompt has no {InstructionPlaceholder} placeholder; add it where the instruction to rewrite goes.", nameof(template));
        return template
            .Replace(CountPlaceholder, count.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace(InstructionPlaceholder, instruction, StringComparison.Ordinal);
    }
}
