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

    /// <summary>A request ready to decode: its position in the run, prompt ids, length budget and random seed.</summary>
    private sealed record PreparedRow(int RunIndex, GenerationRequest Request, IReadOnlyList<int> PromptIds, int MaxNewTokens, int Seed);

    /// <summary>
    /// Encodes a batch (a prompt that cannot be encoded is a failed row unless FailFast), cuts the rest into sub-batches
    /// whose model caches fit <paramref name="budget"/> (one, when it fits or the model cannot tell its cache size) and
    /// decodes them in order, isolating rows that fail.
    /// </summary>
    private IReadOnlyList<GenerationResult> RunWithinBudget(GenerationRequest[] chunk, int firstIndex, int seed, IDecodingStrategy strategy,
        GenerationOptions options, long budget, GenerationUpdateWriter? updates, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var results = new GenerationResult?[chunk.Length];
        var prepared = new List<(int Index, PreparedRow Row)>(chunk.Length);
        for (int i = 0; i < chunk.Length; i++)
        {
            var request = chunk[i] ?? throw new ArgumentException($"Request {firstIndex + i} is null.", "requests");
            var rowSeed = options.SeedFromRequestId
                ? SeedMixer.MixKey(seed, request.Id ?? throw new ArgumentException($"Request {firstIndex + i} has no id; SeedFromRequestId needs one per request.", "requests"))
                : SeedMixer.Mix(seed, firstIndex + i);
            IReadOnlyList<int> ids;
            try
            {
                ids = _encoder.Encode(request.Prompt, options, label: PromptLabel(chunk, firstIndex, i));
            }
            catch (ArgumentException e) when (!options.FailFast)
            {
                results[i] = Failed(request, strategy, CoreMessage(e));
                updates?.Open(firstIndex + i, request.Id, Model.Tokenizer, options.StopStrings);
                continue;
            }
            prepared.Add((i, new PreparedRow(firstIndex + i, request, ids, Math.Min(options.MaxNewTokens, Model.Config.ContextLength - ids.Count), rowSeed)));
        }
        // A prompt whose cache cannot fit the budget even alone is that row's failure (its length is the problem), not the batch's.
        prepared.RemoveAll(p =>
        {
            int tokens = p.Row.PromptIds.Count + p.Row.MaxNewTokens;
            long bytes = strategy.CacheBytes(Model, Reward, 1, tokens);
            if (bytes <= budget) return false;
            var tooLarge = new MemoryBudgetExceededException(
                $"{PromptLabel(chunk, firstIndex, p.Index)} needs {MemoryBudget.Format(bytes)} of model cache for {tokens} tokens ({p.Row.PromptIds.Count} prompt + {p.Row.MaxNewTokens} new) " +
                $"with {strategy.Name} on model '{Model.Name}', more than the memory budget of {MemoryBudget.Format(budget)}. " +
                "Raise the memory budget (GenerationOptions.MemoryBudgetBytes), shorten the prompt or lower the new tokens (GenerationOptions.MaxNewTokens) or the strategy's samples, beams or candidates.",
                Model.Name, p.Row.RunIndex, tokens, bytes, budget);
            if (options.FailFast) throw tooLarge;
            results[p.Index] = Failed(p.Row.Request, strategy, tooLarge.Message, p.Row.PromptIds);
            updates?.Open(p.Row.RunIndex, p.Row.Request.Id, Model.Tokenizer, options.StopStrings);
            return true;
        });
        if (prepared.Count > 0)
        {
            var rows = prepared.Select(p => p.Row).ToArray();
            var plan = BatchMemoryPlan.Split(rows.Select(r => r.PromptIds.Count).ToArray(), rows.Select(r => r.MaxNewTokens).ToArray(), budget,
                (count, tokens) => strategy.CacheBytes(Model, Reward, count, tokens),
                (j, tokens, bytes) => new InvalidOperationException(
                    $"Internal error: {PromptLabel(chunk, firstIndex, prepared[j].Index)} fit the memory budget alone but not when planned ({MemoryBudget.Format(bytes)} for {tokens} tokens)."));
            string? note = null;
            if (plan.Count > 1)
            {
                long whole = strategy.CacheBytes(Model, Reward, rows.Length, rows.Max(r => r.PromptIds.Count + r.MaxNewTokens));
                note = $"The batch of {chunk.Length} prompts ran as {plan.Count} sub-batches of at most {plan.Max(p => p.Count)} to keep model caches within the memory budget of " +
                       $"{MemoryBudget.Format(budget)} (the whole batch needs {MemoryBudget.Format(whole)}).";
            }
            var decoded = new List<GenerationResult>(rows.Length);
            foreach (var (start, count) in plan)
                decoded.AddRange(DecodeIsolatingRows(rows[start..(start + count)], strategy, options, note, updates, cancellationToken));
            for (int j = 0; j < prepared.Count; j++) results[prepared[j].Index] = decoded[j];
        }

        // Time cannot be told apart within a batch: each row carries its share beside the batch's time and size.
        var elapsed = clock.Elapsed;
        return results.Select(r => r! with { Cost = r.Cost with { Elapsed = elapsed / chunk.Length, BatchElapsed = elapsed, BatchRows = chunk.Length } }).ToArray();
    }

    private static string PromptLabel(GenerationRequest[] chunk, int firstIndex, int i) =>
        $"prompt {firstIndex + i}" + (chunk[i]?.Id is null ? "" : $" (id '{chunk[i].Id}')");

    /// <summary>
    /// Decodes the rows together; when that throws, decodes each row alone (per-row seeds make a row's result the same
    /// alone or in a batch, so text already streamed stays a prefix of it). A failure is the row's — a
    /// <see cref="FinishReason.Error"/> result, the other rows go on — when the row fails alone while another row of its
    /// batch does not. When every row fails (a broken model or reward service, a bug; or a batch of one row, where nothing
    /// tells the row's fault from the source's) it is rethrown.
    /// </summary>
    private GenerationResult[] DecodeIsolatingRows(IReadOnlyList<PreparedRow> rows, IDecodingStrategy strategy, GenerationOptions options, string? note,
        GenerationUpdateWriter? updates, CancellationToken cancellationToken)
    {
        try
        {
            return Decode(rows, strategy, options, note, updates, cancellationToken);
        }
        catch (Exception e) when (!options.FailFast && IsIsolatable(e))
        {
            if (rows.Count == 1) throw;
            var alone = new GenerationResult[rows.Count];
            var failures = new List<(int Row, Exception Error)>();
            for (int j = 0; j < rows.Count; j++)
            {
                try
                {
                    alone[j] = Decode(new[] { rows[j] }, strategy, options, note, updates: null, cancellationToken)[0];
                }
                catch (Exception rowError) when (IsIsolatable(rowError))
                {
                    failures.Add((j, rowError));
                }
            }
            if (failures.Count == rows.Count) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
            foreach (var (j, error) in failures) alone[j] = Failed(rows[j].Request, strategy, CoreMessage(error), rows[j].PromptIds);
            return alone;
        }
    }

    private static bool IsIsolatable(Exception e) => e is not (OperationCanceledException or OutOfMemoryException);

    private GenerationResult[] Decode(IReadOnlyList<PreparedRow> prepared, IDecodingStrategy strategy, GenerationOptions options, string? note,
        GenerationUpdateWriter? updates, CancellationToken cancellationToken)
    {
        var rows = prepared.Select((p, j) => new SequenceRow(j, 0, p.PromptIds, p.MaxNewTokens, p.Seed)).ToArray();
        using var batch = new SequenceBatch(Model, Model.CreateState(), rows, options);
        batch.Prefill();
        var requests = prepared.Select(p => p.Request).ToArray();
        using var context = new DecodingContext(Model, options, requests, Reward, rows.Select(r => r.Seed).ToArray());
        updates?.Watch(batch, context, strategy, prepared.Select(p => p.RunIndex).ToArray());
        var outcomes = strategy.Decode(context, batch, cancellationToken);
        if (outcomes.Count != rows.Length)
            throw new InvalidOperationException($"Strategy '{strategy.Name}' returned {outcomes.Count} outcomes for {rows.Length} prompts.");

        var results = new GenerationResult[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            var o = outcomes[i];
            var (calls, tokens) = batch.WorkOf(i);
            var (moreCalls, moreTokens) = context.AdditionalWorkOf(i);
            results[i] = new GenerationResult
            {
                Id = requests[i].Id,
                Prompt = requests[i].Prompt,
                Reference = requests[i].Reference,
                PromptTokenIds = rows[i].PromptTokens,
                Text = context.ResponseText(o.Row),
                TokenIds = o.Row.GeneratedTokens.ToArray(),
                FinishReason = o.Row.FinishReason == FinishReason.None ? FinishReason.Length : o.Row.FinishReason,
                PromptTokenCount = o.Row.PromptTokens.Count,
                Strategy = strategy.Name,
                Reward = o.Reward,
                Cost = new GenerationCost
                {
                    LmCalls = calls + moreCalls,
                    LmTokens = tokens + moreTokens,
                    RewardCalls = o.RewardCalls,
                    RewardTokens = o.RewardTokens,
                    Note = note,
                },
                Alternatives = o.Alternatives.Select(a => new ScoredResponse(context.ResponseText(a.Row), a.Row.GeneratedTokens.ToArray(), a.Reward, a.Row.FinishReason)).ToArray(),
                Trace = o.Trace,
            };
        }
        return results;
    }

    /// <summary>The result of a row that could not be generated: the request's identity, no text, the reason.</summary>
    private static GenerationResult Failed(GenerationRequest request, IDecodingStrategy strategy, string reason, IReadOnlyList<int>? promptIds = null) => new()
    {
        Id = request.Id,
        Prompt = request.Prompt ?? "",
        Reference = request.Reference,
        PromptTokenIds = promptIds ?? Array.Empty<int>(),
        PromptTokenCount = promptIds?.Count ?? 0,
        Text = "",
        TokenIds = Array.Empty<int>(),
        FinishReason = FinishReason.Error,
        Error = reason,
        Strategy = strategy.Name,
        Cost = new GenerationCost(),
    };

    /// <summary>An exception's message without .NET's " (Parameter 'x')" trailer.</summary>
    private static string CoreMessage(Exception e) =>
        e is ArgumentException { ParamName: { } name } a && a.Message.EndsWith($" (Parameter '{name}')", StringComparison.Ordinal)
            ? a.Message[..^$" (Parameter '{name}')".Length]
            : e.Message;
}
