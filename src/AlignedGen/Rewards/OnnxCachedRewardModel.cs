using AlignedGen.Decoding;
using AlignedGen.Models;
using AlignedGen.Onnx;
using AlignedGen.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace AlignedGen.Rewards;

/// <summary>
/// A decoder reward model exported with a KV cache and a per-position <c>scores</c> output (e.g.
/// shared/models/rm-llama-cached): the reward of a sequence is the score at its last token. As a plain reward source
/// it scores <c>BOS + tokenize(prompt + " " + response)</c>; for ARGS it prefills each prompt once and scores k
/// one-token candidates per row in one batched call, keeping only the chosen row's cache.
/// </summary>
public sealed class OnnxCachedRewardModel : ICandidateScoringSource, ICachedRewardModel, IDisposable
{
    private readonly InferenceSession _session;
    private readonly DecoderSignature _signature;

    private OnnxCachedRewardModel(string folder, InferenceSession session, DecoderSignature signature, ITextTokenizer tokenizer, DecoderConfig config)
    {
        Folder = folder;
        _session = session;
        _signature = signature;
        Tokenizer = tokenizer;
        Config = config;
    }

    /// <summary>The model folder.</summary>
    public string Folder { get; }

    public string Name => Path.GetFileName(Folder.TrimEnd(Path.DirectorySeparatorChar));

    /// <summary>The reward model's tokenizer.</summary>
    public ITextTokenizer Tokenizer { get; }

    /// <summary>Context length and special ids of the reward model.</summary>
    public DecoderConfig Config { get; }

    /// <summary>Loads a cached reward-model folder (model.onnx with past_key_values inputs and a scores output).</summary>
    public static OnnxCachedRewardModel Load(string folder, ITextTokenizer? tokenizer = null, ExecutionOptions? execution = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder))
            throw new ModelFolderException(folder, "the reward-model folder does not exist.", "pass the folder that holds model.onnx and its tokenizer files.");
        tokenizer ??= TokenizerLoader.FromFolder(folder);
        var modelPath = Path.Combine(folder, "model.onnx");
        var session = OnnxSessionFactory.Create(modelPath, execution ?? ExecutionOptions.Default, out _);
        try
        {
            var (kv, head) = OnnxCausalLanguageModel.ReadHeadGeometry(folder);
            var signature = DecoderSignature.Discover(session, modelPath, "scores", kv, head);
            if (!signature.OutputIsPerPositionScalar)
                throw new ModelFolderException(modelPath, "the 'scores' output is not [batch, seq].", "export the reward head's score at every position as scores [batch, seq].");
            var config = DecoderConfigReader.Read(folder, tokenizer.SpecialTokens, graphVocabularySize: null);
            return new OnnxCachedRewardModel(folder, session, signature, tokenizer, config);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    int ICachedRewardModel.ContextLength => Config.ContextLength;

    /// <summary>True when the graph uses GroupQueryAttention, which cannot extend rows by different numbers of tokens after the prefill.</summary>
    internal bool NeedsEqualExtends => _signature.RightPadded;

    /// <summary>A fresh decoder state over the reward model; each row's output is the reward of its prefix.</summary>
    public IDecoderState CreateState() => new OnnxDecoderState(_session, _signature, Config.PadTokenId, 1);

    public float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var scores = new float[queries.Count];
        const int batch = 16;
        for (int start = 0; start < queries.Count; start += batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int n = Math.Min(batch, queries.Count - start);
            var ids = new IReadOnlyList<int>[n];
            for (int i = 0; i < n; i++) ids[i] = EncodeWindow(queries[start + i]);
            using var state = CreateState();
            state.Extend(ids);
            for (int i = 0; i < n; i++) scores[start + i] = state.Output(i)[0];
        }
        return scores;
    }

    /// <summary>Scores token ids directly when the LM shares this model's tokenizer; otherwise null (text scoring is used).</summary>
    public ICandidateScorer? CreateCandidateScorer(DecodingContext context)
        => TokenizerComparer.SameVocabulary(context.Model.Tokenizer, Tokenizer) ? new CachedRewardCandidateScorer(this) : null;

    private IReadOnlyList<int> EncodeWindow(RewardQuery q)
    {
        var text = q.Response.Length == 0 ? q.Prompt : q.Prompt + " " + q.Response;
        var ids = Tokenizer.Encode(text, addSpecialTokens: true);
        // Keep the end of what the model sees when it is longer than the context.
        return ids.Count <= Config.ContextLength ? ids : ids.Skip(ids.Count - Config.ContextLength).ToArray();
    }

    public void Dispose() => _session.Dispose();
}
