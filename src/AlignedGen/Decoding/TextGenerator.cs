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
        var clock = Stopwatch.StartNew();
        int done = 0;
        long tokens = 0;
        int index = 0;
        foreach (var chunk in requests.Chunk(options.BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var results = RunBatch(chunk, index, seed, strategy, options, updates, cancellationToken);
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
        GenerationOptions options, GenerationUpdateWriter? updates, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var rows = new SequenceRow[chunk.Length];
        for (int i = 0; i < chunk.Length; i++)
        {
            var request = chunk[i] ?? throw new ArgumentException($"Request {firstIndex + i} is null.", "requests");
            var ids = _encoder.Encode(request.Prompt, options, label: $"prompt {firstIndex + i}" + (request.Id is null ? "" : $" (id '{request.Id}')"));
            int room = Model.Config.ContextLength - ids.Count;
            rows[i] = new SequenceRow(i, 0, ids, Math.Min(options.MaxNewTokens, room), SeedMixer.Mix(seed, firstIndex + i));
        }
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
                },
                Alternatives = o.Alternatives.Select(a => new ScoredResponse(context.ResponseText(a.Row), a.Row.GeneratedTokens.ToArray(), a.Reward, a.Row.FinishReason)).ToArray(),
                Trace = o.Trace,
            };
        }
        return results;
    }
}
