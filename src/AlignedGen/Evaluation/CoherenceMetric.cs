using AlignedGen.Rewards;

namespace AlignedGen.Evaluation;

/// <summary>
/// ARGS's coherence metric: cosine similarity of the prompt's and the response's sentence embeddings (the paper used
/// SimCSE; the default here is all-MiniLM-L6-v2, <see cref="MiniLmSentenceEmbedder"/>). Batched: one
/// <see cref="ISentenceEmbedder.Embed"/> call per <see cref="Compute"/> over the distinct texts, and prompt embeddings
/// are kept (up to <see cref="PromptCacheLimit"/> prompts) for later calls, since every setting of a comparison
/// answers the same prompts. A zero embedding has cosine 0 with anything.
/// </summary>
public sealed class CoherenceMetric
{
    /// <summary>Most prompt embeddings kept between calls; the cache is cleared when a call would exceed it.</summary>
    public const int PromptCacheLimit = 4096;

    private readonly Dictionary<string, float[]> _prompts = new(StringComparer.Ordinal);
    private readonly object _lock = new();

    /// <summary>Coherence measured with <paramref name="embedder"/>.</summary>
    public CoherenceMetric(ISentenceEmbedder embedder)
        => Embedder = embedder ?? throw new ArgumentNullException(nameof(embedder), "Pass a sentence embedder, e.g. MiniLmSentenceEmbedder.Create().");

    /// <summary>The embedder.</summary>
    public ISentenceEmbedder Embedder { get; }

    /// <summary>Texts embedded so far (distinct texts per call, cached prompts not counted again).</summary>
    public long TextsEmbedded { get; private set; }

    /// <summary>Cosine(prompt i, response i) for every pair, in order.</summary>
    public double[] Compute(IReadOnlyList<string> prompts, IReadOnlyList<string> responses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(responses);
        if (prompts.Count != responses.Count)
            throw new ArgumentException($"Got {prompts.Count} prompts but {responses.Count} responses; pass one response per prompt.", nameof(responses));
        for (int i = 0; i < prompts.Count; i++)
        {
            if (prompts[i] is null) throw new ArgumentException($"Prompt {i} is null; use \"\" for an empty prompt.", nameof(prompts));
            if (responses[i] is null) throw new ArgumentException($"Response {i} is null; use \"\" for an empty response.", nameof(responses));
        }
        lock (_lock)
        {
            if (_prompts.Count + prompts.Count > PromptCacheLimit) _prompts.Clear();
            var distinct = new Dictionary<string, int>(StringComparer.Ordinal);
            var texts = new List<string>();
            void Add(string text)
            {
                if (distinct.ContainsKey(text)) return;
                distinct[text] = texts.Count;
                texts.Add(text);
            }
            foreach (var p in prompts)
                if (!_prompts.ContainsKey(p)) Add(p);
            foreach (var r in responses) Add(r);
            var embeddings = texts.Count == 0 ? Array.Empty<float[]>() : Embedder.Embed(texts, cancellationToken);
            if (embeddings is null || embeddings.Length != texts.Count)
                throw new InvalidOperationException($"Sentence embedder '{Embedder.Name}' returned {embeddings?.Length ?? 0} embeddings for {texts.Count} texts; it must return one per text.");
            TextsEmbedded += texts.Count;
            foreach (var p in prompts)
                if (!_prompts.ContainsKey(p)) _prompts[p] = embeddings[distinct[p]];
            var result = new double[prompts.Count];
            for (int i = 0; i < result.Length; i++)
                result[i] = ProxyRewardFeatures.Relevance(_prompts[prompts[i]], embeddings[distinct[responses[i]]]);
            return result;
        }
    }
}
