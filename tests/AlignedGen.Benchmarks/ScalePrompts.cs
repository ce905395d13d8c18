using AlignedGen.Tokenization;

namespace AlignedGen.Benchmarks;

/// <summary>
/// Prompts of exactly the same token count for the scale benchmark: story openings cut to a fixed number of tokens,
/// kept only when the cut text encodes back to the same ids. Equal lengths mean no padding, so onnxruntime-genai (which
/// left-pads, while GroupQueryAttention graphs read caches as right-padded) and AlignedGen decode from identical inputs.
/// </summary>
public static class ScalePrompts
{
    public static string[] Build(ITextTokenizer tokenizer, IReadOnlyList<string> stories, int count, int tokens)
    {
        var prompts = new List<string>(count);
        for (int i = 0; i < stories.Count && prompts.Count < count; i++)
        {
            // Two openings joined give enough tokens for any cut length used here.
            var ids = tokenizer.Encode(stories[i] + " " + stories[(i + 1) % stories.Count], addSpecialTokens: false);
            if (ids.Count < tokens) continue;
            var text = tokenizer.Decode(ids.Take(tokens).ToArray());
            if (tokenizer.Encode(text, addSpecialTokens: false).SequenceEqual(ids.Take(tokens))) prompts.Add(text);
        }
        if (prompts.Count < count)
            throw new InvalidOperationException($"Only {prompts.Count} of {stories.Count} story openings cut cleanly to {tokens} tokens; {count} were needed.");
        return prompts.ToArray();
    }
}
