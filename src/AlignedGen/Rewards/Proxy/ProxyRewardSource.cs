namespace AlignedGen.Rewards;

/// <summary>
/// Kim &amp; Seo's white-box proxy reward. Each response is prepared (<see cref="ProxyRewardFeatures.PrepareText"/>), then
/// open-ended: <c>R = RP · LI · Rel(query, response)</c>; constrained (the query has a <see cref="RewardQuery.Reference"/>):
/// <c>R = RP · Rel(reference, response) / 3.5 · (512 / 100)</c>. Rel is the cosine similarity of sentence embeddings
/// (the authors used Contriever dot products; any <see cref="ISentenceEmbedder"/> serves). All texts of a call are embedded
/// in one batched call. An empty response scores LI = 0, RP = 1 and Rel against the embedding of the empty text.
/// </summary>
public sealed class ProxyRewardSource : IRewardSource, IDisposable
{
    private readonly ISentenceEmbedder? _embedder;
    private readonly bool _ownsEmbedder;
    private const int AnchorCacheSize = 4096;
    private readonly Dictionary<string, float[]> _anchorCache = new(StringComparer.Ordinal);

    /// <summary>Creates the reward; <paramref name="embedder"/> is required unless <see cref="ProxyRewardOptions.UseRelevance"/> is false. The embedder is not disposed by this source.</summary>
    public ProxyRewardSource(ISentenceEmbedder? embedder, ProxyRewardOptions? options = null)
        : this(embedder, options, ownsEmbedder: false)
    {
    }

    private ProxyRewardSource(ISentenceEmbedder? embedder, ProxyRewardOptions? options, bool ownsEmbedder)
    {
        Options = options ?? ProxyRewardOptions.Default;
        if (Options.UseRelevance && embedder is null)
            throw new ArgumentNullException(nameof(embedder), "The relevance feature needs a sentence embedder. Fix: pass one (e.g. MiniLmSentenceEmbedder.Create()), use ProxyRewardSource.CreateDefault, or set UseRelevance = false.");
        _embedder = embedder;
        _ownsEmbedder = ownsEmbedder;
    }

    /// <summary>The proxy reward with the packaged all-MiniLM-L6-v2 embedder (owned and disposed by the source).</summary>
    public static ProxyRewardSource CreateDefault(ProxyRewardOptions? options = null, SentenceEmbedderOptions? embedderOptions = null)
    {
        var embedder = MiniLmSentenceEmbedder.Create(embedderOptions);
        return new ProxyRewardSource(embedder, options, ownsEmbedder: true);
    }

    /// <inheritdoc />
    public string Name => Options.Name;

    /// <summary>The options in effect.</summary>
    public ProxyRewardOptions Options { get; }

    /// <summary>The embedder used for Rel, or null when relevance is off.</summary>
    public ISentenceEmbedder? Embedder => _embedder;

    /// <inheritdoc />
    public float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default)
    {
        var details = ScoreDetailed(queries, cancellationToken);
        var scores = new float[details.Length];
        for (var i = 0; i < scores.Length; i++) scores[i] = (float)details[i].Reward;
        return scores;
    }

    /// <summary>Scores every query and returns the features behind each reward.</summary>
    public ProxyRewardBreakdown[] ScoreDetailed(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default)
    {
        RewardChecks.ValidateQueries(queries);
        var n = queries.Count;
        var prepared = new string[n];
        var constrained = new bool[n];
        for (var i = 0; i < n; i++)
        {
            prepared[i] = ProxyRewardFeatures.PrepareText(queries[i].Response, Options.StopMarkers);
            constrained[i] = Options.UseRelevance && Options.UseReferenceBranch && !string.IsNullOrWhiteSpace(queries[i].Reference);
        }

        var relevance = new double[n];
        Array.Fill(relevance, 1.0);
        if (Options.UseRelevance && n > 0)
        {
            // One embedding call over the distinct texts not yet known: anchors (query or reference) repeat across the
            // candidates of a row and across ARGS steps, so they are embedded once and kept in a small cache.
            var extract = Options.ExtractQuery ?? (static p => ProxyRewardFeatures.ExtractQuery(p));
            var anchors = new string[n];
            for (var i = 0; i < n; i++) anchors[i] = constrained[i] ? queries[i].Reference! : extract(queries[i].Prompt) ?? "";
            var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
            var missing = new List<string>();
            lock (_anchorCache)
            {
                foreach (var a in anchors)
                    if (!vectors.ContainsKey(a))
                    {
                        if (_anchorCache.TryGetValue(a, out var cached)) vectors[a] = cached;
                        else { vectors[a] = null!; missing.Add(a); }
                    }
            }
            int anchorCount = missing.Count;
            foreach (var r in prepared)
                if (!vectors.ContainsKey(r)) { vectors[r] = null!; missing.Add(r); }
            if (missing.Count > 0)
            {
                var embeddings = _embedder!.Embed(missing, cancellationToken);
                if (embeddings is null || embeddings.Length != missing.Count)
                    throw new RewardSourceException(Name, null, $"the embedder '{_embedder.Name}' returned {embeddings?.Length ?? 0} embeddings for {missing.Count} texts.");
                for (var i = 0; i < missing.Count; i++) vectors[missing[i]] = embeddings[i];
                lock (_anchorCache)
                {
                    if (_anchorCache.Count + anchorCount > AnchorCacheSize) _anchorCache.Clear();
                    for (var i = 0; i < anchorCount; i++) _anchorCache[missing[i]] = embeddings[i];
                }
            }
            for (var i = 0; i < n; i++)
                relevance[i] = ProxyRewardFeatures.Relevance(vectors[anchors[i]], vectors[prepared[i]]);
        }

        var result = new ProxyRewardBreakdown[n];
        for (var i = 0; i < n; i++)
        {
            var words = ProxyRewardFeatures.Words(prepared[i]);
            var li = Options.UseLengthIncentive ? words.Length / 100.0 : 1.0;
            var rp = Options.UseRepetitionPenalty ? ProxyRewardFeatures.RepetitionPenalty(words) : 1.0;
            var reward = constrained[i]
                ? ProxyRewardFeatures.ConstrainedReward(rp, relevance[i], Options.MaxSequenceLength, Options.RelevanceScale)
                : ProxyRewardFeatures.OpenEndedReward(rp, li, relevance[i]);
            if (!double.IsFinite(reward))
                throw new RewardSourceException(Name, i, $"reward is {reward} (LI {li}, RP {rp}, Rel {relevance[i]}); check the embedder's output.");
            result[i] = new ProxyRewardBreakdown(prepared[i], li, rp, relevance[i], constrained[i], reward);
        }
        return result;
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Disposes the embedder when this source created it (<see cref="CreateDefault"/>).</summary>
    public void Dispose()
    {
        if (_ownsEmbedder && _embedder is IDisposable d) d.Dispose();
    }
}
