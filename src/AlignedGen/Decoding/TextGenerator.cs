using System.Diagnostics;
using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Decoding;

/// <summary>
/// The entry point for generation: encodes prompts, runs a decoding strategy over batches of them, and returns
/// results with text, ids, finish reason, reward and cost. The ML.NET transforms and the cmdlets call this.
/// </summary>
public sealed class TextGenerator
{
    private readonly PromptEncoder _encoder;

    /// <summary>A generator over <paramref name="model"/>; <paramref name="reward"/> guides or ranks strategies that use one.</summary>
    public TextGenerator(ICausalLanguageModel model, IRewardSource? reward = null)
    {
        Model = model ?? throw new ArgumentNullException(nameof(model));
        Reward = reward;
        _encoder = new PromptEncoder(model);
    }

    /// <summary>The language model.</summary>
    public ICausalLanguageModel Model { get; }

    /// <summary>The reward source handed to strategies.</summary>
    public IRewardSource? Reward { get; }

    /// <summary>Generates a response for every request, in request order.</summary>
    public IReadOnlyList<GenerationResult> Generate(IReadOnlyList<GenerationRequest> requests, IDecodingStrategy strategy,
        GenerationOptions? options = null, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
        => GenerateStream(requests, strategy, options, progress, cancellationToken).ToList();

    /// <summary>Generates prompt by prompt as batches complete (constant memory), in request order.</summary>
    public IEnumerable<GenerationResult> GenerateStream(IEnumerable<GenerationRequest> requests, IDecodingStrategy strategy,
        GenerationOptions? options = null, IProgress<GenerationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(strategy);
        if (strategy.NeedsReward && Reward is null)
            throw new InvalidOperationException($"Strategy '{strategy.Name}' needs a reward source: pass one to the TextGenerator (a reward model, the proxy reward, a composite or a delegate; see RewardReference).");
        options ??= GenerationOptions.Default;
        int total = requests is IReadOnlyCollection<GenerationRequest> c ? c.Count : -1;
        int seed = options.Seed ?? Random.Shared.Next();
        var clock = Stopwatch.StartNew();
        int done = 0;
        long tokens = 0;
        int index = 0;
        foreach (var chunk in requests.Chunk(options.BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var results = RunBatch(chunk, index, seed, strategy, options, cancellationToken);
            index += chunk.Length;
            foreach (var r in results)
            {
                done++;
                tokens += r.TokenIds.Count;
                yield return r;
            }
            progress?.Report(new GenerationProgress(done, total < 0 ? done : total, tokens, clock.Elapsed));
        }
    }

    /// <summary>The token ids a prompt is decoded from (chat template and special tokens applied), validated against the context window.</summary>
    public IReadOnlyList<int> EncodePrompt(string prompt, GenerationOptions? options = null)
        => _encoder.Encode(prompt, options ?? GenerationOptions.Default, label: "prompt");

    private IReadOnlyList<GenerationResult> RunBatch(GenerationRequest[] chunk, int firstIndex, int seed, IDecodingStrategy strategy,
        GenerationOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var rows = new SequenceRow[chunk.Length];
        for (int i = 0; i < chunk.Length; i++)
        {
            var request = chunk[i] ?? throw new ArgumentException($"Request {firstIndex + i} is null.", "requests");
            var ids = _encoder.Encode(request.Prompt, options, label: $"prompt {firstIndex + i}" + (request.Id is null ? "" : $" (id '{request.Id}')"));
            int room = Model.Config.ContextLength - ids.Count;
            var rowSeed = options.SeedFromRequestId
                ? SeedMixer.MixKey(seed, request.Id ?? throw new ArgumentException($"Request {firstIndex + i} has no id; SeedFromRequestId needs one per request.", "requests"))
                : SeedMixer.Mix(seed, firstIndex + i);
            rows[i] = new SequenceRow(i, 0, ids, Math.Min(options.MaxNewTokens, room), rowSeed);
        }
        var state = Model.CreateState();
        using var batch = new SequenceBatch(Model, state, rows, options);
        state.Extend(rows.Select(r => r.PromptTokens).ToArray());
        using var context = new DecodingContext(Model, options, chunk, Reward, rows.Select(r => r.Seed).ToArray());
        var outcomes = strategy.Decode(context, batch, cancellationToken);
        if (outcomes.Count != chunk.Length)
            throw new InvalidOperationException($"Strategy '{strategy.Name}' returned {outcomes.Count} outcomes for {chunk.Length} prompts.");

        var elapsed = clock.Elapsed;
        var lm = new DecoderCounters();
        lm.Add(batch.Counters);
        lm.Add(context.AdditionalModelWork);
        var results = new GenerationResult[chunk.Length];
        for (int i = 0; i < chunk.Length; i++)
        {
            var o = outcomes[i];
            results[i] = new GenerationResult
            {
                Id = chunk[i].Id,
                Prompt = chunk[i].Prompt,
                Reference = chunk[i].Reference,
                PromptTokenIds = rows[i].PromptTokens,
                Text = context.ResponseText(o.Row),
                TokenIds = o.Row.GeneratedTokens.ToArray(),
                FinishReason = o.Row.FinishReason == FinishReason.None ? FinishReason.Length : o.Row.FinishReason,
                PromptTokenCount = o.Row.PromptTokens.Count,
                Strategy = strategy.Name,
                Reward = o.Reward,
                Cost = new GenerationCost
                {
                    LmCalls = (double)lm.Calls / chunk.Length,
                    LmTokens = (double)lm.TokenPositions / chunk.Length,
                    RewardCalls = o.RewardCalls,
                    RewardTokens = o.RewardTokens,
                    Elapsed = elapsed / chunk.Length,
                },
                Alternatives = o.Alternatives.Select(a => new ScoredResponse(context.ResponseText(a.Row), a.Row.GeneratedTokens.ToArray(), a.Reward, a.Row.FinishReason)).ToArray(),
                Trace = o.Trace,
            };
        }
        return results;
    }
}
