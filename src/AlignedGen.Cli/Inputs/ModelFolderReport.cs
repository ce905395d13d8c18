using System.Globalization;
using System.Text.Json.Serialization;
using AlignedGen.Models;
using AlignedGen.Rewards;
using AlignedGen.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace AlignedGen.Cli.Inputs;

/// <summary>
/// What a model folder is, for `aligngen info`: its layout and files, the graph's inputs and outputs, and — for a causal
/// LM — dtype, layers, KV heads, head size, vocabulary, context, special tokens and chat template as AlignedGen reads
/// them (through the same loaders generation uses, so what it says is what a run will do); for a reward model, its kind.
/// </summary>
public sealed record ModelFolderReport
{
    public required string Folder { get; init; }
    public required string Layout { get; init; }
    public required string Kind { get; init; }
    public required IReadOnlyList<FileEntry> Files { get; init; }
    public required IReadOnlyList<TensorEntry> Inputs { get; init; }
    public required IReadOnlyList<TensorEntry> Outputs { get; init; }
    public string? ModelType { get; init; }
    public string? DType { get; init; }
    public int? Layers { get; init; }
    public int? KeyValueHeads { get; init; }
    public int? HeadSize { get; init; }
    public int? Vocabulary { get; init; }
    public int? TokenizerVocabulary { get; init; }
    public int? ContextLength { get; init; }
    public IReadOnlyDictionary<string, string> SpecialTokens { get; init; } = new Dictionary<string, string>();
    public string? ChatTemplate { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();

    public sealed record FileEntry(string Name, long Bytes);

    public sealed record TensorEntry(string Name, string ElementType, string Shape);

    public static ModelFolderReport Read(string folder, ExecutionOptions execution)
    {
        folder = Path.GetFullPath(folder);
        if (!Directory.Exists(folder))
            throw new ModelFolderException(folder, "the folder does not exist.", "pass a model folder (model.onnx with its config and tokenizer files).");
        var files = Directory.GetFiles(folder).Order(StringComparer.Ordinal).Select(f => new FileEntry(Path.GetFileName(f), new FileInfo(f).Length)).ToArray();
        var layout = File.Exists(Path.Combine(folder, "genai_config.json")) ? "onnxruntime-genai"
            : File.Exists(Path.Combine(folder, "config.json")) ? "Hugging Face (Optimum export)" : "bare ONNX folder";
        var onnx = files.Select(f => f.Name).FirstOrDefault(n => n == "model.onnx") ?? files.Select(f => f.Name).FirstOrDefault(n => n.EndsWith(".onnx", StringComparison.Ordinal))
            ?? throw new ModelFolderException(folder, $"no .onnx file in the folder (files: {string.Join(", ", files.Select(f => f.Name))}).", "pass the folder that holds model.onnx.");
        var (inputs, outputs) = Graph(Path.Combine(folder, onnx));
        var report = new ModelFolderReport { Folder = folder, Layout = layout, Kind = "unknown", Files = files, Inputs = inputs, Outputs = outputs };
        if (outputs.Any(o => o.Name == "logits") && inputs.Any(i => i.Name.StartsWith("past", StringComparison.Ordinal)))
            return WithLanguageModel(report, folder, execution);
        return report with { Kind = "reward model (" + RewardModelLoader.DetectKind(folder) + ")", TokenizerVocabulary = TryTokenizer(folder)?.VocabularySize };
    }

    private static ModelFolderReport WithLanguageModel(ModelFolderReport report, string folder, ExecutionOptions execution)
    {
        using var model = OnnxCausalLanguageModel.Load(folder, execution);
        var config = model.Config;
        var tokenizer = model.Tokenizer;
        string Token(int id) => $"{id} {tokenizer.IdToToken(id) ?? "?"}";
        var special = new Dictionary<string, string>();
        if (config.BosTokenId is { } bos) special["bos"] = Token(bos);
        special["eos"] = string.Join(", ", config.EosTokenIds.Select(Token));
        special["pad"] = Token(config.PadTokenId);
        if (tokenizer.SpecialTokens.Unk is { } unk) special["unk"] = Token(unk);
        return report with
        {
            Kind = "causal language model with KV cache",
            ModelType = config.ModelType,
            DType = model.CacheElementType,
            Layers = model.LayerCount,
            KeyValueHeads = model.KeyValueHeads,
            HeadSize = model.HeadSize,
            Vocabulary = config.VocabularySize,
            TokenizerVocabulary = tokenizer.VocabularySize,
            ContextLength = config.ContextLength,
            SpecialTokens = special,
            ChatTemplate = model.ChatTemplate?.Name,
            Notes = config.Notes.Prepend($"runs on {model.ExecutionReport}").ToArray(),
        };
    }

    private static ITextTokenizer? TryTokenizer(string folder)
    {
        try
        {
            return TokenizerLoader.FromFolder(folder);
        }
        catch (ModelFolderException)
        {
            return null;
        }
    }

    private static (TensorEntry[] Inputs, TensorEntry[] Outputs) Graph(string path)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        InferenceSession session;
        try
        {
            session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelFolderException(path, $"ONNX Runtime cannot open it ({e.Message}).", "re-export the model, or check that model.onnx.data sits beside it.", e);
        }
        using (session)
        {
            static TensorEntry Entry(KeyValuePair<string, NodeMetadata> m) => new(m.Key,
                m.Value.IsTensor ? m.Value.ElementDataType.ToString() : m.Value.OnnxValueType.ToString(),
                "[" + string.Join(", ", m.Value.Dimensions.Select((d, i) => d >= 0 ? d.ToString(CultureInfo.InvariantCulture)
                    : m.Value.SymbolicDimensions.Length > i && m.Value.SymbolicDimensions[i].Length > 0 ? m.Value.SymbolicDimensions[i] : "?")) + "]");
            return (session.InputMetadata.Select(Entry).ToArray(), session.OutputMetadata.Select(Entry).ToArray());
        }
    }

    /// <summary>The report as aligned text lines.</summary>
    public void WriteText(TextWriter o)
    {
        void Line(string key, object? value)
        {
            if (value is not null) o.WriteLine($"{key + ":",-16}{value}");
        }
        Line("folder", Folder);
        Line("kind", Kind);
        Line("layout", Layout);
        Line("model type", ModelType);
        Line("dtype", DType);
        Line("layers", Layers);
        Line("KV heads", KeyValueHeads);
        Line("head size", HeadSize);
        Line("vocabulary", Vocabulary is null ? null : $"{Vocabulary} logits, {TokenizerVocabulary} tokenizer ids");
        if (Vocabulary is null) Line("tokenizer", TokenizerVocabulary is null ? "none found" : $"{TokenizerVocabulary} ids");
        Line("context", ContextLength is null ? null : $"{ContextLength} tokens");
        foreach (var (name, value) in SpecialTokens) Line(name, value);
        if (Vocabulary is not null) Line("chat template", ChatTemplate ?? "none (prompts are used as given; --chat-template NAME to wrap them)");
        o.WriteLine("inputs:");
        foreach (var t in Inputs) o.WriteLine($"  {t.Name,-32} {t.ElementType,-8} {t.Shape}");
        o.WriteLine("outputs:");
        foreach (var t in Outputs) o.WriteLine($"  {t.Name,-32} {t.ElementType,-8} {t.Shape}");
        o.WriteLine("files:");
        foreach (var f in Files) o.WriteLine($"  {f.Name,-32} {f.Bytes.ToString("N0", CultureInfo.InvariantCulture),14} bytes");
        foreach (var note in Notes) o.WriteLine("note: " + note);
    }
}
