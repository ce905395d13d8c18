using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
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
        => Run(requests, strategy, options, progress, updates: null, cancellationToken);

    /// <summary>
    /// Generates with text streamed as it is decided: per token for strategies whose tokens are final as chosen
    /// (<see cref="IDecodingStrategy.StreamsTokens"/>: greedy, sampling, ARGS), when decided for the others (Best-of-N,
    /// DARWIN). A request's update texts concatenated equal its result's text exactly; its last update carries the
    /// <see cref="GenerationResult"/>. Batching, seeds and every chosen token are those of <see cref="GenerateStream"/>.
    /// The decode runs on its own thread and stops within one step when <paramref name="cancellationToken"/> is
    /// cancelled or the reader stops reading; its exceptions surface from the enumeration.
    /// </summary>
    public async IAsyncEnumerable<GenerationUpdate> GenerateStreamingAsync(IEnumerable<GenerationRequest> requests, IDecodingStrategy strategy,
        GenerationOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(strategy);
        var channel = Channel.CreateUnbounded<GenerationUpdate>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var decode = Task.Factory.StartNew(() =>
        {
            try
            {
                var writer = new GenerationUpdateWriter(u => channel.Writer.TryWrite(u));
                foreach (var result in Run(requests, strategy, options, null, writer, stop.Token)) writer.Finished(result);
            }
            finally
            {
                channel.Writer.Complete();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        bool readAll = false;
        try
        {
            await foreach (var update in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false)) yield return update;
            readAll = true;
        }
        finally
        {
            if (!readAll)
            {
                // The reader stopped (or was cancelled): stop the decode and wait for it to let go of the model.
                stop.Cancel();
                try { await decode.ConfigureAwait(false); }
                catch (Exception) { /* nobody is reading its outcome any more */ }
            }
        }
        await decode.ConfigureAwait(false); // the decode's own exception, if it failed
    }

    private IEnumerable<GenerationResult> Run(IEnumerable<GenerationRequest> requests, IDecodingStrategy strategy, GenerationOptions? options,
        IProgress<GenerationProgress>? progress, GenerationUpdateWriter? updates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(strategy);
        if (strategy.NeedsReward && Reward is null)
            throw new InvalidOperationException($"Strategy '{strategy.Name}' needs a reward source: pass one to the TextGenerator (a reward model, the proxy reward, a composite or a delegate; see RewardReference).");
        options ??= GenerationOptions.Default;
        int total = requests is IReadOnlyCollection<GenerationRequest> c ? c.Count : -1;
        int seed = options.Seed ?? Random.Shared.Next();
        long budget = options.MemoryBudgetBytes ?? MemoryBudget.DefaultBytes();
        var clock = Stopwatch.StartNew();
        int done = 0;
        long tokens = 0;
        int index = 0;
        foreach (var chunk in requests.Chunk(options.BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var results = RunWithinBudget(chunk, index, seed, strategy, options, budget, updates, cancellationToken);
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

    /// <summary>
    /// Encodes a batch, cuts it into sub-batches whose model caches fit <paramref name="budget"/> (one, when it fits or
    /// the model cannot tell its cache size) and runs them in order.
    /// </summary>
    private IReadOnlyList<GenerationResult> RunWithinBudget(GenerationRequest[] chunk, int firstIndex, int seed, IDecodingStrategy strategy,
        GenerationOptions options, long budget, GenerationUpdateWriter? updates, CancellationToken cancellationToken)
    {
        var prompts = new IReadOnlyList<int>[chunk.Length];
        var newTokens = new int[chunk.Length];
        for (int i = 0; i < chunk.Length; i++)
        {
            var request = chunk[i] ?? throw new ArgumentException($"Request {firstIndex + i} is null.", "requests");
            prompts[i] = _encoder.Encode(request.Prompt, options, label: PromptLabel(chunk, firstIndex, i));
            newTokens[i] = Math.Min(options.MaxNewTokens, Model.Config.ContextLength - prompts[i].Count);
        }
        var plan = BatchMemoryPlan.Split(prompts.Select(p => p.Count).ToArray(), newTokens, budget,
            (count, tokens) => strategy.CacheBytes(Model, Reward, count, tokens),
            (i, tokens, bytes) => new MemoryBudgetExceededException(
                $"{PromptLabel(chunk, firstIndex, i)} needs {MemoryBudget.Format(bytes)} of model cache for {tokens} tokens ({prompts[i].Count} prompt + {newTokens[i]} new) " +
                $"with {strategy.Name} on model '{Model.Name}', more than the memory budget of {MemoryBudget.Format(budget)}. " +
                "Raise GenerationOptions.MemoryBudgetBytes, shorten the prompt or lower MaxNewTokens (or the strategy's samples, beams or top-k).",
                Model.Name, firstIndex + i, tokens, bytes, budget));
        if (plan.Count == 1) return RunBatch(chunk, prompts, newTokens, firstIndex, seed, strategy, options, note: null, updates, cancellationToken);

        long whole = strategy.CacheBytes(Model, Reward, chunk.Length, prompts.Select((p, i) => p.Count + newTokens[i]).Max());
        var note = $"The batch of {chunk.Length} prompts ran as {plan.Count} sub-batches of at most {plan.Max(p => p.Count)} to keep model caches within the memory budget of " +
                   $"{MemoryBudget.Format(budget)} (the whole batch needs {MemoryBudget.Format(whole)}).";
        var results = new List<GenerationResult>(chunk.Length);
        foreach (var (start, count) in plan)
        {
            results.AddRange(RunBatch(chunk[start..(start + count)], prompts[start..(start + count)], newTokens[start..(start + count)],
                firstIndex + start, seed, strategy, options, note, updates, cancellationToken));
        }
        return results;
    }

    private static string PromptLabel(GenerationRequest[] chunk, int firstIndex, int i) =>
        $"prompt {firstIndex + i}" + (chunk[i]?.Id is null ? "" : $" (id '{chunk[i].Id}')");

    private IReadOnlyList<GenerationResult> RunBatch(GenerationRequest[] chunk, IReadOnlyList<int>[] prompts, int[] newTokens, int firstIndex, int seed,
        IDecodingStrategy strategy, GenerationOptions options, string? note, GenerationUpdateWriter? updates, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var rows = new SequenceRow[chunk.Length];
        for (int i = 0; i < chunk.Length; i++)
            rows[i] = new SequenceRow(i, 0, prompts[i], newTokens[i], SeedMixer.Mix(seed, firstIndex + i));
        var state = Model.CreateState();
        using var batch = new SequenceBatch(Model, state, rows, options);
        state.Extend(rows.Select(r => r.PromptTokens).ToArray());
        using var context = new DecodingContext(Model, options, chunk, Reward, rows.Select(r => r.Seed).ToArray());
        updates?.Watch(batch, context, strategy, firstIndex);
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
                    Note = note,
                },
                Alternatives = o.Alternatives.Select(a => new ScoredResponse(context.ResponseText(a.Row), a.Row.GeneratedTokens.ToArray(), a.Reward, a.Row.FinishReason)).ToArray(),
                Trace = o.Trace,
            };
        }
        return results;
    }
}
