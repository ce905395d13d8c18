using AlignedGen.Models;
using AlignedGen.Tokenization;
using AlignedGen.Onnx;
using Microsoft.ML.OnnxRuntime;

namespace AlignedGen.Rewards;

/// <summary>
/// A BERT-style sentence-embedding model in ONNX (<c>input_ids, attention_mask[, token_type_ids] → last_hidden_state [batch, seq, dim]</c>):
/// <c>[CLS] text [SEP]</c>, mean pooling over the attention mask, L2 normalisation (sentence-transformers' recipe).
/// Texts are sorted by length and grouped into batches of similar length (<see cref="SentenceEmbedderOptions.CallOverheadTokens"/>);
/// calls on one instance are serialised.
/// </summary>
public sealed class OnnxSentenceEmbedder : ISentenceEmbedder, IDisposable
{
    private static readonly string[] PreferredOutputs = { "last_hidden_state", "token_embeddings" };
    private readonly InferenceSession _session;
    private readonly ITextTokenizer _tokenizer;
    private readonly SentenceEmbedderOptions _options;
    private readonly string _outputName;
    private readonly bool _hasTokenTypes;
    private readonly int _cls;
    private readonly int _sep;
    private readonly object _runLock = new();
    private long[] _ids = Array.Empty<long>();
    private long[] _mask = Array.Empty<long>();
    private long[] _types = Array.Empty<long>();
    private bool _disposed;

    /// <summary>Opens an embedding model from an .onnx file with its tokenizer. Throws <see cref="ModelFolderException"/> for a missing file or an unexpected graph.</summary>
    public OnnxSentenceEmbedder(string modelPath, ITextTokenizer tokenizer, SentenceEmbedderOptions? options = null)
        : this(OnnxRewardModel.OpenSession(modelPath, options?.Execution), modelPath, tokenizer, options,
            options?.Name ?? FolderName(modelPath))
    {
    }

    /// <summary>Opens an embedding model from ONNX bytes (e.g. an embedded resource) with its tokenizer; <paramref name="source"/> names it in errors.</summary>
    public OnnxSentenceEmbedder(byte[] model, ITextTokenizer tokenizer, string source, SentenceEmbedderOptions? options = null)
        : this(OnnxSessionFactory.Create(model, source, options?.Execution ?? ExecutionOptions.Default, out _), source, tokenizer, options, options?.Name ?? source)
    {
    }

    private OnnxSentenceEmbedder(InferenceSession session, string source, ITextTokenizer tokenizer, SentenceEmbedderOptions? options, string name)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(tokenizer);
            _session = session;
            _tokenizer = tokenizer;
            _options = options ?? SentenceEmbedderOptions.Default;
            Name = name;
            var inputs = session.InputMetadata;
            foreach (var required in new[] { RewardModelGraph.InputIds, RewardModelGraph.AttentionMask })
            {
                if (!inputs.ContainsKey(required))
                    throw new ModelFolderException(source, $"The embedding graph has no '{required}' input (inputs: {string.Join(", ", inputs.Keys)}).", "Export a BERT-style encoder with input_ids and attention_mask.");
            }
            _hasTokenTypes = inputs.ContainsKey(RewardModelGraph.TokenTypeIds);
            var extra = inputs.Keys.Where(k => k is not (RewardModelGraph.InputIds or RewardModelGraph.AttentionMask or RewardModelGraph.TokenTypeIds)).ToArray();
            if (extra.Length > 0)
                throw new ModelFolderException(source, $"The embedding graph takes inputs AlignedGen does not feed: {string.Join(", ", extra)}.", "Export the encoder with input_ids, attention_mask and optionally token_type_ids.");
            _outputName = PreferredOutputs.FirstOrDefault(session.OutputMetadata.ContainsKey)
                ?? session.OutputMetadata.FirstOrDefault(o => o.Value.Dimensions.Length == 3).Key
                ?? throw new ModelFolderException(source, $"The embedding graph has no per-token output [batch, seq, dim] (outputs: {string.Join(", ", session.OutputMetadata.Keys)}).", "Export last_hidden_state; pooling is done by AlignedGen.");
            var dims = session.OutputMetadata[_outputName].Dimensions;
            Dimension = dims.Length == 3 && dims[2] > 0 ? dims[2] : -1;
            _cls = tokenizer.TokenToId("[CLS]") ?? tokenizer.TokenToId("<s>")
                ?? throw new ModelFolderException(source, "The tokenizer has neither [CLS] nor <s>.", "Use the embedding model's own tokenizer.");
            _sep = tokenizer.TokenToId("[SEP]") ?? tokenizer.TokenToId("</s>")
                ?? throw new ModelFolderException(source, "The tokenizer has neither [SEP] nor </s>.", "Use the embedding model's own tokenizer.");
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Opens a sentence-embedding model folder: <c>model.onnx</c> (or <c>onnx/model.onnx</c>) and its tokenizer files (tokenizer.json or vocab.txt).</summary>
    public static OnnxSentenceEmbedder FromFolder(string folder, SentenceEmbedderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (!Directory.Exists(folder))
            throw new ModelFolderException(folder, "The folder does not exist.", "Pass the folder that holds model.onnx and the tokenizer files.");
        var model = Path.Combine(folder, "model.onnx");
        if (!File.Exists(model)) model = Path.Combine(folder, "onnx", "model.onnx");
        if (!File.Exists(model))
            throw new ModelFolderException(folder, "No model.onnx (nor onnx/model.onnx) in the folder.", "Export the sentence-embedding model to ONNX as model.onnx.");
        return new OnnxSentenceEmbedder(model, TokenizerLoader.FromFolder(folder), options);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public int Dimension { get; private set; }

    /// <summary>The options in effect.</summary>
    public SentenceEmbedderOptions Options => _options;

    /// <summary>Embeds every text; rows are unit length when <see cref="SentenceEmbedderOptions.Normalize"/> is set.</summary>
    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(texts);
        var n = texts.Count;
        var rows = new int[n][];
        var lengths = new int[n];
        for (var i = 0; i < n; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var text = texts[i] ?? throw new ArgumentException($"Text {i} is null.", nameof(texts));
            rows[i] = Tokenize(text);
            lengths[i] = rows[i].Length;
        }
        var plan = LengthBatchPlan.Create(lengths, _options.BatchSize, sortByLength: true, _options.CallOverheadTokens);

        var result = new float[n][];
        lock (_runLock)
        {
            using var runOptions = new RunOptions();
            using var registration = cancellationToken.Register(static o => ((RunOptions)o!).Terminate = true, runOptions);
            foreach (var (start, count) in plan.Batches)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    RunBatch(rows, new ReadOnlySpan<int>(plan.Order, start, count), result, runOptions);
                }
                catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
            }
        }
        return result;
    }

    /// <summary>[CLS] + the text's tokens (truncated to MaxLength - 2) + [SEP], as fed to the model.</summary>
    internal int[] Tokenize(string text)
    {
        var ids = _tokenizer.Encode(text, addSpecialTokens: false);
        var keep = Math.Min(ids.Count, _options.MaxLength - 2);
        var skip = _options.TruncateFromStart ? ids.Count - keep : 0;
        var row = new int[keep + 2];
        row[0] = _cls;
        for (var i = 0; i < keep; i++) row[i + 1] = ids[skip + i];
        row[^1] = _sep;
        return row;
    }

    private void RunBatch(int[][] rows, ReadOnlySpan<int> batch, float[][] result, RunOptions runOptions)
    {
        var pad = 0;
        foreach (var r in batch) pad = Math.Max(pad, rows[r].Length);
        var size = batch.Length * pad;
        if (_ids.Length < size)
        {
            _ids = new long[size];
            _mask = new long[size];
            _types = new long[size];
        }
        for (var b = 0; b < batch.Length; b++)
        {
            var row = rows[batch[b]];
            var offset = b * pad;
            for (var t = 0; t < row.Length; t++)
            {
                _ids[offset + t] = row[t];
                _mask[offset + t] = 1;
            }
            Array.Clear(_ids, offset + row.Length, pad - row.Length);
            Array.Clear(_mask, offset + row.Length, pad - row.Length);
        }
        var shape = new long[] { batch.Length, pad };
        var names = new List<string>(3) { RewardModelGraph.InputIds, RewardModelGraph.AttentionMask };
        var values = new List<OrtValue>(3);
        try
        {
            values.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<long>(_ids, 0, size), shape));
            values.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<long>(_mask, 0, size), shape));
            if (_hasTokenTypes)
            {
                Array.Clear(_types, 0, size);
                names.Add(RewardModelGraph.TokenTypeIds);
                values.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<long>(_types, 0, size), shape));
            }
            using var outputs = _session.Run(runOptions, names, values, new[] { _outputName });
            var hidden = outputs[0];
            var outShape = hidden.GetTensorTypeAndShape().Shape;
            if (outShape.Length != 3 || outShape[0] != batch.Length || outShape[1] != pad)
                throw new InvalidOperationException($"Embedder '{Name}': '{_outputName}' came back with shape [{string.Join(", ", outShape)}]; expected [{batch.Length}, {pad}, dim].");
            var dim = (int)outShape[2];
            Dimension = dim;
            var data = hidden.GetTensorDataAsSpan<float>();
            for (var b = 0; b < batch.Length; b++)
            {
                var length = rows[batch[b]].Length;
                var pooled = new double[dim];
                var offset = b * pad * dim;
                for (var t = 0; t < length; t++)
                {
                    var token = data.Slice(offset + t * dim, dim);
                    for (var d = 0; d < dim; d++) pooled[d] += token[d];
                }
                var embedding = new float[dim];
                double norm = 0;
                for (var d = 0; d < dim; d++)
                {
                    pooled[d] /= length;
                    norm += pooled[d] * pooled[d];
                }
                var scale = _options.Normalize && norm > 0 ? 1.0 / Math.Max(Math.Sqrt(norm), 1e-12) : 1.0;
                for (var d = 0; d < dim; d++) embedding[d] = (float)(pooled[d] * scale);
                result[batch[b]] = embedding;
            }
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    private static string FolderName(string modelPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? "";
        if (Path.GetFileName(folder) == "onnx") folder = Path.GetDirectoryName(folder) ?? folder;
        var name = Path.GetFileName(folder);
        return string.IsNullOrEmpty(name) ? Path.GetFileNameWithoutExtension(modelPath) : name;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} (dim {Dimension})";

    /// <summary>Releases the ONNX session.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _session.Dispose();
    }
}
