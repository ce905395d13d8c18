using AlignedGen.Models;
using AlignedGen.Onnx;
using AlignedGen.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace AlignedGen.Rewards;

/// <summary>
/// A decoder reward model with a KV cache and a per-position <c>scores [batch, seq]</c> output (rm-llama-cached).
/// As a plain reward source it scores full sequences with empty past tensors; the reward of a sequence is the score at
/// its last real token. For ARGS it also scores k one-token candidates per row incrementally (prefill once, then one
/// token per candidate) through <see cref="CreateCandidateScorer"/>, when the LM's token ids can be fed to it.
/// </summary>
public sealed class CachedDecoderRewardModel : OnnxRewardModel, ICandidateScoringSource, ICachedRewardModel
{
    private readonly string[] _outputNames = { RewardModelGraph.Scores };
    private DecoderSignature? _signature;

    /// <summary>
    /// Opens <paramref name="modelPath"/> (an .onnx file). <paramref name="tokenizer"/> is the reward model's own tokenizer
    /// (null: token ids only). Throws <see cref="ModelFolderException"/> when the file is missing or its graph is not a cached reward model.
    /// </summary>
    public CachedDecoderRewardModel(string modelPath, ITextTokenizer? tokenizer, RewardModelOptions? options = null)
        : this(Open(modelPath, options), modelPath, tokenizer, options, folderMaxLength: null)
    {
    }

    internal CachedDecoderRewardModel((InferenceSession Session, RewardModelGraph Graph) opened, string modelPath,
        ITextTokenizer? tokenizer, RewardModelOptions? options, int? folderMaxLength)
        : base(opened.Session, ownsSession: true, opened.Graph, modelPath, tokenizer, options, folderMaxLength)
    {
    }

    /// <summary>Number of transformer layers (past key/value pairs).</summary>
    public int LayerCount => Graph.LayerCount;

    /// <summary>KV heads per layer.</summary>
    public int KvHeads => Graph.KvHeads;

    /// <summary>Head size.</summary>
    public int HeadDim => Graph.HeadDim;

    /// <summary>
    /// A candidate scorer for ARGS over this model's KV cache, or null when the LM's ids cannot be fed to it: the
    /// tokenizers differ (or, without a tokenizer, <see cref="RewardModelOptions.UseTokenIds"/> is off).
    /// </summary>
    public ICandidateScorer? CreateCandidateScorer(ITextTokenizer lmTokenizer)
    {
        ArgumentNullException.ThrowIfNull(lmTokenizer);
        var shared = Tokenizer is null ? Options.UseTokenIds : TokenizerComparer.SameVocabulary(lmTokenizer, Tokenizer);
        return shared ? new CachedRewardCandidateScorer(this) : null;
    }

    /// <summary>Peak KV-cache bytes of <paramref name="rows"/> rows of <paramref name="tokens"/> positions (ARGS keeps rows × k of them).</summary>
    public long CacheBytes(int rows, int tokens) => Signature.CacheBytes(rows, tokens);

    /// <summary>The k-fold candidate cache ARGS's fast path keeps: rows × k rows of the reward model's cache.</summary>
    public long CandidateCacheBytes(int rows, int k, int tokens) => CacheBytes(rows * k, tokens);

    /// <summary>Longest sequence the model scores in one piece (its maximum length, else unbounded).</summary>
    public int ContextLength => MaxLength ?? int.MaxValue;

    /// <summary>True for GroupQueryAttention graphs, which take only equal-length chunks after the prefill.</summary>
    internal bool NeedsEqualExtends => Signature.RightPadded;

    private DecoderSignature Signature => _signature ??= DecoderSignature.Discover(Session, ModelPath, RewardModelGraph.Scores, Graph.KvHeads, Graph.HeadDim);

    /// <summary>A fresh KV-cache state over this model (row outputs are the rewards of the rows' prefixes).</summary>
    public IDecoderState CreateState() => new OnnxDecoderState(Session, Signature, Tokenizer?.SpecialTokens.Pad ?? 0, 1);

    IDecoderState ICachedRewardModel.CreateState() => CreateState();

    private static (InferenceSession, RewardModelGraph) Open(string modelPath, RewardModelOptions? options)
    {
        var session = OpenSession(modelPath, options?.Execution);
        try
        {
            var graph = RewardModelGraph.Inspect(session, modelPath);
            if (graph.Kind != RewardModelKind.CachedDecoder)
                throw new ModelFolderException(modelPath, $"The graph is a {graph.Kind} reward model, not a cached decoder (no past_key_values inputs / 'scores' output).",
                    "Use SequenceClassificationRewardModel, or RewardModelLoader.FromFolder which picks the class from the graph.");
            return (session, graph);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private protected override void RunBatch(EncodedRewardInput[] rows, ReadOnlySpan<int> batch, int padLength, float[] scores, RunOptions runOptions)
    {
        var layers = Graph.LayerCount;
        var names = new List<string>(3 + 2 * layers);
        var values = new List<OrtValue>(3 + 2 * layers);
        try
        {
            AddTokenInputs(rows, batch, padLength, names, values);
            var pastShape = new long[] { batch.Length, Graph.KvHeads, 0, Graph.HeadDim };
            for (var l = 0; l < layers; l++)
            {
                names.Add(Graph.PastKeyNames[l]);
                values.Add(OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), pastShape));
                names.Add(Graph.PastValueNames[l]);
                values.Add(OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), pastShape));
            }
            using var outputs = Session.Run(runOptions, names, values, _outputNames);
            var output = outputs[0];
            var shape = output.GetTensorTypeAndShape().Shape;
            if (shape.Length != 2 || shape[0] != batch.Length || shape[1] != padLength)
                throw new RewardSourceException(Name, null, $"'{RewardModelGraph.Scores}' came back with shape [{string.Join(", ", shape)}]; expected [{batch.Length}, {padLength}].");
            var data = output.GetTensorDataAsSpan<float>();
            for (var b = 0; b < batch.Length; b++)
            {
                var row = batch[b];
                scores[row] = data[b * padLength + rows[row].Length - 1];
            }
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }
}
