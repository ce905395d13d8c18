using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Decoding;

/// <summary>What a strategy gets besides its batch: the model, the shared options, the prompts of the batch, and the reward source (if any).</summary>
public sealed class DecodingContext : IDisposable
{
    private readonly PromptEncoder _encoder;
    private readonly List<SequenceBatch> _startedBatches = new();

    private readonly IReadOnlyList<int> _requestSeeds;

    internal DecodingContext(ICausalLanguageModel model, GenerationOptions options, IReadOnlyList<GenerationRequest> requests, IRewardSource? reward,
        IReadOnlyList<int> requestSeeds)
    {
        _requestSeeds = requestSeeds;
        Model = model;
        Options = options;
        Requests = requests;
        Reward = reward;
        _encoder = new PromptEncoder(model);
    }

    /// <summary>The language model.</summary>
    public ICausalLanguageModel Model { get; }

    /// <summary>Length, stopping and batching options.</summary>
    public GenerationOptions Options { get; }

    /// <summary>The prompts of this batch, in row order.</summary>
    public IReadOnlyList<GenerationRequest> Requests { get; }

    /// <summary>The reward source guiding or ranking, when the strategy uses one.</summary>
    public IRewardSource? Reward { get; }

    /// <summary>
    /// The seed request <paramref name="request"/>'s random streams derive from (the run's seed mixed with the request's
    /// position in the run, so results do not depend on batch size).
    /// </summary>
    public int RequestSeed(int request) => _requestSeeds[request];

    /// <summary>
    /// LM work of the batches the strategy started besides the one it was given (DARWIN's mutation and beam batches) that
    /// belongs to request <paramref name="request"/>; <see cref="TextGenerator"/> adds it to the result's cost.
    /// </summary>
    internal (long Calls, long Tokens) AdditionalWorkOf(int request)
    {
        long calls = 0, tokens = 0;
        foreach (var batch in _startedBatches)
        {
            var (c, t) = batch.WorkOf(request);
            calls += c;
            tokens += t;
        }
        return (calls, tokens);
    }

    /// <summary>Encodes a prompt the way the requests were encoded (same template and special tokens), checked against the context window.</summary>
    internal IReadOnlyList<int> EncodePrompt(string prompt, string label) => _encoder.Encode(prompt, Options, label);

    /// <summary>
    /// Prefills a new batch over the model for prompts other than the requests (rows made by the strategy); its LM work
    /// counts in the results' cost. <paramref name="options"/> defaults to the context's options. The caller disposes it.
    /// </summary>
    internal SequenceBatch StartBatch(IReadOnlyList<SequenceRow> rows, GenerationOptions? options = null)
    {
        var batch = SequenceBatch.Start(Model, rows, options ?? Options);
        _startedBatches.Add(batch);
        return batch;
    }

    /// <summary>Releases the model memory of batches the strategy started and left open.</summary>
    public void Dispose()
    {
        foreach (var batch in _startedBatches) batch.Dispose();
    }

    /// <summary>Decodes a row's generated tokens to response text (special tokens dropped, cut before a stop string).</summary>
    public string ResponseText(SequenceRow row) => ResponseText(row.GeneratedTokens);

    /// <summary>Decodes response token ids to text the way <see cref="ResponseText(SequenceRow)"/> does (CARDS's candidate segments).</summary>
    internal string ResponseText(IReadOnlyList<int> responseTokens)
    {
        var text = Model.Tokenizer.Decode(responseTokens, skipSpecialTokens: true);
        return Options.StopStrings.Count == 0 ? text : StopStringDetector.Cut(text, Options.StopStrings);
    }

    /// <summary>A row as reward scorers see it: the request's prompt text and reference, the row's prompt ids and its live response ids.</summary>
    public PartialResponse PartialResponseFor(SequenceRow row)
    {
        var request = Requests[row.RequestIndex];
        return new PartialResponse(request.Prompt, request.Reference, row.PromptTokens, row.GeneratedTokens);
    }

    /// <summary>Builds the reward query for a row (prompt text and ids, response text and ids, reference).</summary>
    public RewardQuery RewardQueryFor(SequenceRow row)
    {
        var request = Requests[row.RequestIndex];
        return new RewardQuery(request.Prompt, ResponseText(row), request.Reference)
        {
            PromptTokenIds = row.PromptTokens,
            ResponseTokenIds = row.GeneratedTokens.ToArray(),
            TokenIdsTokenizer = Model.Tokenizer,
        };
    }
}
