using System.Text.Json;
using AlignedGen.Onnx;
using AlignedGen.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace AlignedGen.Models;

/// <summary>
/// A causal LM exported to ONNX with a KV cache, loaded from a folder as Hugging Face Optimum or onnxruntime-genai
/// write it: <c>model.onnx</c> (+ <c>model.onnx.data</c>), config.json / generation_config.json / genai_config.json,
/// and tokenizer files. Inputs, outputs, layer count, KV heads, head size and dtypes are read from the graph.
/// </summary>
public sealed partial class OnnxCausalLanguageModel : ICausalLanguageModel
{
    private readonly InferenceSession _session;
    private readonly DecoderSignature _signature;

    private OnnxCausalLanguageModel(string folder, InferenceSession session, DecoderSignature signature, ITextTokenizer tokenizer, DecoderConfig config, string report)
    {
        Folder = folder;
        _session = session;
        _signature = signature;
        Tokenizer = tokenizer;
        Config = config;
        ExecutionReport = report;
    }

    /// <summary>The model folder.</summary>
    public string Folder { get; }

    public string Name => Path.GetFileName(Folder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));

    public ITextTokenizer Tokenizer { get; }

    public DecoderConfig Config { get; }

    public ChatTemplate? ChatTemplate { get; private init; }

    /// <summary>Where the model runs ("CPU", "CUDA device 0", or a reported CPU fallback).</summary>
    public string ExecutionReport { get; }

    /// <summary>Number of transformer layers (KV-cache pairs) in the graph.</summary>
    public int LayerCount => _signature.Layers;

    /// <summary>KV heads per layer (fewer than attention heads for grouped-query attention).</summary>
    public int KeyValueHeads => _signature.KeyValueHeads;

    /// <summary>Size of one attention head.</summary>
    public int HeadSize => _signature.HeadSize;

    /// <summary>Element type of the cache and logits ("Float" or "Float16").</summary>
    public string CacheElementType => _signature.CacheType.ToString();

    /// <summary>Whether the graph takes position_ids (genai GQA exports derive positions from the mask).</summary>
    public bool HasPositionIds => _signature.PositionIds is not null;

    /// <summary>Loads a model folder with the tokenizer it carries.</summary>
    public static OnnxCausalLanguageModel Load(string folder, ExecutionOptions? execution = null)
        => Load(folder, tokenizer: null, execution);

    /// <summary>Loads a model folder; <paramref name="tokenizer"/> overrides the folder's tokenizer files when given.</summary>
    public static OnnxCausalLanguageModel Load(string folder, ITextTokenizer? tokenizer, ExecutionOptions? execution = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder))
            throw new ModelFolderException(folder, "the model folder does not exist.", "pass the folder that holds model.onnx and its config and tokenizer files.");
        execution ??= ExecutionOptions.Default;
        string modelPath = Path.Combine(folder, GenaiFileName(folder) ?? "model.onnx");
        if (!File.Exists(modelPath))
            throw new ModelFolderException(folder, $"no {Path.GetFileName(modelPath)} in the folder (files: {string.Join(", ", Directory.GetFiles(folder).Select(Path.GetFileName))}).",
                "export the model to ONNX (Optimum: optimum-cli export onnx --task text-generation-with-past) into this folder.");

        tokenizer ??= TokenizerLoader.FromFolder(folder);
        var session = OnnxSessionFactory.Create(modelPath, execution, out var report);
        try
        {
            var (kvHeads, headSize) = ReadHeadGeometry(folder);
            var signature = DecoderSignature.Discover(session, modelPath, "logits", kvHeads, headSize);
            var config = DecoderConfigReader.Read(folder, tokenizer.SpecialTokens, signature.OutputWidth > 0 ? signature.OutputWidth : null);
            if (tokenizer.VocabularySize > config.VocabularySize)
                throw new ModelFolderException(folder,
                    $"the tokenizer has {tokenizer.VocabularySize} tokens but the model's logits have only {config.VocabularySize}.",
                    "use the tokenizer files exported with this model (ids beyond the logits would be unusable).");
            return new OnnxCausalLanguageModel(folder, session, signature, tokenizer, config, report) { ChatTemplate = ChatTemplate.FromFolder(folder) };
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    public IDecoderState CreateState() => new OnnxDecoderState(_session, _signature, Config.PadTokenId, Config.VocabularySize);

    /// <summary>Peak KV-cache bytes of <paramref name="rows"/> rows of <paramref name="tokens"/> positions (current and next buffers, all layers).</summary>
    public long CacheBytes(int rows, int tokens) => _signature.CacheBytes(rows, tokens);

    /// <summary>A state whose GroupQueryAttention cache is (true) or is not (false) one shared past/present buffer; for comparing the two paths.</summary>
    internal OnnxDecoderState CreateState(bool shareBuffers) => new(_session, _signature, Config.PadTokenId, Config.VocabularySize, shareBuffers);

    public void Dispose() => _session.Dispose();

    private static string? GenaiFileName(string folder)
    {
        var path = Path.Combine(folder, "genai_config.json");
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.TryGetProperty("model", out var m) && m.TryGetProperty("decoder", out var d) && d.TryGetProperty("filename", out var f)
                ? f.GetString() : null;
        }
        catch (JsonException ex)
        {
            throw new ModelFolderException(path, $"is not valid JSON ({ex.Message}).", "repair or remove genai_config.json.", ex);
        }
    }

    internal static (int? kvHeads, int? headSize) ReadHeadGeometry(string folder)
    {
        var path = Path.Combine(folder, "config.json");
        if (!File.Exists(path)) return (null, null);
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            int? Get(string n) => root.TryGetProperty(n, out var v) && v.TryGetInt32(out var i) ? i : null;
            int? heads = Get("num_attention_heads");
            int? kv = Get("num_key_value_heads") ?? heads;
            int? hd = Get("head_dim") ?? (Get("hidden_size") is int h && heads is int nh && nh > 0 ? h / nh : null);
            return (kv, hd);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
