using AlignedGen.Models;
using AlignedGen.Onnx;
using AlignedGen.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace AlignedGen.Rewards;

/// <summary>
/// Base of the ONNX reward models: encodes queries (token-id path or text path with the model's own tokenizer and
/// <see cref="RewardInputFormat"/>), truncates, sorts rows by length and groups them into batches of similar length
/// (<see cref="RewardModelOptions.CallOverheadTokens"/>), pads them (right padding) and runs the graph. Scores come back
/// in query order. Calls on one instance are serialised (input buffers are reused).
/// </summary>
public abstract class OnnxRewardModel : IRewardSource, IDisposable
{
    private readonly object _runLock = new();
    private readonly List<string> _warnings = new();
    private readonly bool _ownsSession;
    private long[] _idsBuffer = Array.Empty<long>();
    private long[] _maskBuffer = Array.Empty<long>();
    private long[] _typesBuffer = Array.Empty<long>();
    private long[] _positionsBuffer = Array.Empty<long>();
    private int _truncationReported;
    private long _truncatedRows;
    private bool _disposed;

    private protected OnnxRewardModel(InferenceSession session, bool ownsSession, RewardModelGraph graph, string modelPath,
        ITextTokenizer? tokenizer, RewardModelOptions? options, int? folderMaxLength)
    {
        options ??= RewardModelOptions.Default;
        Session = session;
        _ownsSession = ownsSession;
        Graph = graph;
        ModelPath = modelPath;
        Options = options;
        Name = options.Name ?? DefaultName(modelPath);
        InputFormat = options.InputFormat
            ?? (graph.Kind == RewardModelKind.EncoderSequenceClassification ? RewardInputFormat.BertPair : RewardInputFormat.DecoderDefault(tokenizer));
        if (tokenizer is not null) InputFormat.CheckTokenizer(tokenizer, modelPath);
        MaxLength = options.MaxLength ?? folderMaxLength;
        Encoder = new RewardInputEncoder(Name, InputFormat, tokenizer, MaxLength, options.Truncation, options.Strict, options.UseTokenIds);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>The ONNX file.</summary>
    public string ModelPath { get; }

    /// <summary>The layout detected from the graph.</summary>
    public RewardModelKind Kind => Graph.Kind;

    /// <summary>How (prompt, response) becomes tokens.</summary>
    public RewardInputFormat InputFormat { get; }

    /// <summary>The reward model's own tokenizer, or null when the model only scores token ids.</summary>
    public ITextTokenizer? Tokenizer => Encoder.Tokenizer;

    /// <summary>Maximum tokens per row in effect (options, else the folder's config), or null for none.</summary>
    public int? MaxLength { get; }

    /// <summary>The options the model was created with.</summary>
    public RewardModelOptions Options { get; }

    /// <summary>Rows truncated so far by this instance.</summary>
    public long TruncatedRowCount => Interlocked.Read(ref _truncatedRows);

    /// <summary>Warnings issued so far (each kind once per instance), also sent to <see cref="RewardModelOptions.Warnings"/>.</summary>
    public IReadOnlyList<string> Warnings
    {
        get { lock (_warnings) return _warnings.ToArray(); }
    }

    /// <summary>The ONNX session (for incremental scoring built on this model).</summary>
    internal InferenceSession Session { get; }

    /// <summary>The graph's signature: input and output names, cache layout.</summary>
    internal RewardModelGraph Graph { get; }

    /// <summary>Query → token rows (format, tokenizer, truncation).</summary>
    internal RewardInputEncoder Encoder { get; }

    /// <inheritdoc />
    public float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RewardChecks.ValidateQueries(queries);
        var n = queries.Count;
        var scores = new float[n];
        if (n == 0) return scores;

        var rows = new EncodedRewardInput[n];
        var lengths = new int[n];
        var truncated = 0;
        for (var i = 0; i < n; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rows[i] = Encoder.Encode(queries[i], i);
            lengths[i] = rows[i].Length;
            if (rows[i].Truncated) truncated++;
        }
        if (truncated > 0) ReportTruncation(truncated, n);

        var plan = LengthBatchPlan.Create(lengths, Options.BatchSize, Options.SortByLength, Options.CallOverheadTokens);

        lock (_runLock)
        {
            using var runOptions = new RunOptions();
            using var registration = cancellationToken.Register(static o => ((RunOptions)o!).Terminate = true, runOptions);
            foreach (var (start, count) in plan.Batches)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var batch = new ReadOnlySpan<int>(plan.Order, start, count);
                var padLength = 0;
                foreach (var r in batch) padLength = Math.Max(padLength, rows[r].Length);
                try
                {
                    RunBatch(rows, batch, padLength, scores, runOptions);
                }
                catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
            }
        }

        for (var i = 0; i < n; i++)
        {
            if (!float.IsFinite(scores[i]))
                throw new RewardSourceException(Name, i, $"the model returned {scores[i]}; scores must be finite.");
        }
        return scores;
    }

    /// <summary>Runs one padded batch and writes each row's score into <paramref name="scores"/> at the row's query index.</summary>
    private protected abstract void RunBatch(EncodedRewardInput[] rows, ReadOnlySpan<int> batch, int padLength, float[] scores, RunOptions runOptions);

    /// <summary>
    /// Fills the reused buffers with right-padded <c>input_ids</c> (pad 0), <c>attention_mask</c>, <c>token_type_ids</c>
    /// and <c>position_ids</c> (0..len-1, pads 1 as Hugging Face does) for the batch, and wraps the ones the graph takes as tensors.
    /// </summary>
    private protected void AddTokenInputs(EncodedRewardInput[] rows, ReadOnlySpan<int> batch, int padLength, List<string> names, List<OrtValue> values)
    {
        var size = batch.Length * padLength;
        var ids = Grow(ref _idsBuffer, size);
        var mask = Grow(ref _maskBuffer, size);
        var types = Graph.HasTokenTypeIds ? Grow(ref _typesBuffer, size) : null;
        var positions = Graph.HasPositionIds ? Grow(ref _positionsBuffer, size) : null;
        for (var b = 0; b < batch.Length; b++)
        {
            var row = rows[batch[b]];
            var offset = b * padLength;
            var rowIds = row.Ids;
            for (var t = 0; t < rowIds.Length; t++)
            {
                ids[offset + t] = rowIds[t];
                mask[offset + t] = 1;
            }
            Array.Clear(ids, offset + rowIds.Length, padLength - rowIds.Length);
            Array.Clear(mask, offset + rowIds.Length, padLength - rowIds.Length);
            if (types is not null)
            {
                for (var t = 0; t < padLength; t++)
                    types[offset + t] = t >= row.SecondSegmentStart && t < rowIds.Length ? 1 : 0;
            }
            if (positions is not null)
            {
                for (var t = 0; t < padLength; t++)
                    positions[offset + t] = t < rowIds.Length ? t : 1;
            }
        }
        var shape = new long[] { batch.Length, padLength };
        Add(names, values, RewardModelGraph.InputIds, ids, size, shape);
        Add(names, values, RewardModelGraph.AttentionMask, mask, size, shape);
        if (types is not null) Add(names, values, RewardModelGraph.TokenTypeIds, types, size, shape);
        if (positions is not null) Add(names, values, RewardModelGraph.PositionIds, positions, size, shape);
    }

    private static void Add(List<string> names, List<OrtValue> values, string name, long[] buffer, int size, long[] shape)
    {
        names.Add(name);
        values.Add(OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<long>(buffer, 0, size), shape));
    }

    private static long[] Grow(ref long[] buffer, int size)
    {
        if (buffer.Length < size) buffer = new long[Math.Max(size, buffer.Length * 2)];
        return buffer;
    }

    private void ReportTruncation(int truncated, int total)
    {
        Interlocked.Add(ref _truncatedRows, truncated);
        if (Interlocked.Exchange(ref _truncationReported, 1) != 0) return;
        var side = Options.Truncation switch
        {
            RewardTruncation.Left => "dropping tokens from the start so the end of the response is kept",
            RewardTruncation.Right => "dropping tokens from the end of the response",
            _ => "longest segment first",
        };
        Warn($"Reward source '{Name}': {truncated} of {total} rows are longer than MaxLength {MaxLength} tokens and were truncated ({side}). " +
             "Later truncations are counted in TruncatedRowCount but not reported again. Set Strict = true to get an error instead.");
    }

    private protected void Warn(string message)
    {
        lock (_warnings) _warnings.Add(message);
        Options.Warnings?.Report(message);
    }

    /// <summary>Opens an ONNX session on the requested device; a missing or unreadable file is a <see cref="ModelFolderException"/>.</summary>
    internal static InferenceSession OpenSession(string modelPath, ExecutionOptions? execution)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        return OnnxSessionFactory.Create(modelPath, execution ?? ExecutionOptions.Default, out _);
    }

    private static string DefaultName(string modelPath)
    {
        var full = Path.GetFullPath(modelPath);
        var folder = Path.GetFileName(Path.GetDirectoryName(full));
        return string.IsNullOrEmpty(folder) ? Path.GetFileNameWithoutExtension(full) : folder;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Kind}, {InputFormat.Name})";

    /// <summary>Releases the ONNX session (when this model opened it).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_ownsSession) Session.Dispose();
        GC.SuppressFinalize(this);
    }
}
