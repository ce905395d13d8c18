using AlignedGen.Models;
using AlignedGen.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace AlignedGen.Rewards;

/// <summary>
/// A Hugging Face sequence-classification reward model exported to ONNX: decoder (<c>input_ids, attention_mask → logits [batch, 1]</c>,
/// pooled at each row's last real token inside the graph) or encoder (with <c>token_type_ids</c>). Rows are right-padded.
/// </summary>
public sealed class SequenceClassificationRewardModel : OnnxRewardModel
{
    private static readonly string[] OutputNames = { RewardModelGraph.Logits };

    /// <summary>
    /// Opens <paramref name="modelPath"/> (an .onnx file). <paramref name="tokenizer"/> is the reward model's own tokenizer
    /// (null: only queries with token ids and <see cref="RewardModelOptions.UseTokenIds"/> can be scored).
    /// Throws <see cref="ModelFolderException"/> when the file is missing or its graph is not a sequence classifier.
    /// </summary>
    public SequenceClassificationRewardModel(string modelPath, ITextTokenizer? tokenizer, RewardModelOptions? options = null)
        : this(Open(modelPath, options), modelPath, tokenizer, options, folderMaxLength: null)
    {
    }

    internal SequenceClassificationRewardModel((InferenceSession Session, RewardModelGraph Graph) opened, string modelPath,
        ITextTokenizer? tokenizer, RewardModelOptions? options, int? folderMaxLength)
        : base(opened.Session, ownsSession: true, opened.Graph, modelPath, tokenizer, options, folderMaxLength)
    {
    }

    private static (InferenceSession, RewardModelGraph) Open(string modelPath, RewardModelOptions? options)
    {
        var session = OpenSession(modelPath, options?.Execution);
        try
        {
            var graph = RewardModelGraph.Inspect(session, modelPath);
            if (graph.Kind == RewardModelKind.CachedDecoder)
                throw new ModelFolderException(modelPath, "The graph is a cached decoder reward model (KV-cache inputs, 'scores' output).",
                    "Use CachedDecoderRewardModel, or RewardModelLoader.FromFolder which picks the class from the graph.");
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
        var names = new List<string>(4);
        var values = new List<OrtValue>(4);
        try
        {
            AddTokenInputs(rows, batch, padLength, names, values);
            using var outputs = Session.Run(runOptions, names, values, OutputNames);
            var output = outputs[0];
            var shape = output.GetTensorTypeAndShape().Shape;
            var data = output.GetTensorDataAsSpan<float>();
            if (data.Length != batch.Length || shape.Length == 0 || shape[0] != batch.Length)
                throw new RewardSourceException(Name, null, $"'{RewardModelGraph.Logits}' came back with shape [{string.Join(", ", shape)}] for a batch of {batch.Length}; expected [{batch.Length}, 1].");
            for (var b = 0; b < batch.Length; b++)
                scores[batch[b]] = data[b];
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }
}
