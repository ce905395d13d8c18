using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.ML;

/// <summary>
/// Names the sentence embedder a transform measures coherence with: the packaged all-MiniLM-L6-v2, an ONNX
/// sentence-embedding folder, or an embedder object. The transform opens it once (when fitted or loaded).
/// </summary>
public sealed class EmbedderSpec
{
    private EmbedderSpec(EmbedderSpecKind kind, string? folder, SentenceEmbedderOptions? options, ISentenceEmbedder? source)
    {
        Kind = kind;
        Folder = folder;
        Options = options;
        Source = source;
    }

    /// <summary>What kind of embedder this is.</summary>
    public EmbedderSpecKind Kind { get; }

    /// <summary>The embedding-model folder (absolute), for <see cref="EmbedderSpecKind.ModelFolder"/>.</summary>
    public string? Folder { get; }

    /// <summary>The embedder's options (null = its defaults), for <see cref="EmbedderSpecKind.MiniLm"/> and <see cref="EmbedderSpecKind.ModelFolder"/>.</summary>
    public SentenceEmbedderOptions? Options { get; }

    /// <summary>The embedder object, for <see cref="EmbedderSpecKind.Source"/>.</summary>
    public ISentenceEmbedder? Source { get; }

    /// <summary>True when a transformer using this embedder can be saved (MiniLM and folders; not code-built embedders).</summary>
    public bool CanSave => Kind != EmbedderSpecKind.Source;

    /// <summary>The packaged all-MiniLM-L6-v2 (the proxy reward's embedder; no download) with these options (null = MaxLength 256, normalised).</summary>
    public static EmbedderSpec MiniLm(SentenceEmbedderOptions? options = null) => new(EmbedderSpecKind.MiniLm, null, options, null);

    /// <summary>The ONNX sentence-embedding model in <paramref name="folder"/> (model.onnx or onnx/model.onnx, with tokenizer.json or vocab.txt).</summary>
    public static EmbedderSpec FromFolder(string folder, SentenceEmbedderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new ModelFolderException(full, "the sentence-embedding model folder does not exist.",
                "pass the folder that holds the embedder's model.onnx and tokenizer files, or use EmbedderSpec.MiniLm() for the packaged all-MiniLM-L6-v2.");
        return new EmbedderSpec(EmbedderSpecKind.ModelFolder, full, options, null);
    }

    /// <summary>An embedder built in code. The transform does not dispose it; transformers using it cannot be saved.</summary>
    public static EmbedderSpec FromEmbedder(ISentenceEmbedder embedder)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return new EmbedderSpec(EmbedderSpecKind.Source, null, null, embedder);
    }

    /// <summary>Opens the embedder; the returned disposable (null for <see cref="EmbedderSpecKind.Source"/>) releases what was opened.</summary>
    internal (ISentenceEmbedder Embedder, IDisposable? Owned) Open()
    {
        switch (Kind)
        {
            case EmbedderSpecKind.MiniLm:
                var miniLm = MiniLmSentenceEmbedder.Create(Options);
                return (miniLm, miniLm);
            case EmbedderSpecKind.ModelFolder:
                var onnx = OnnxSentenceEmbedder.FromFolder(Folder!, Options);
                return (onnx, onnx);
            default:
                return (Source!, null);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        EmbedderSpecKind.MiniLm => $"embedder {MiniLmSentenceEmbedder.ModelName}",
        EmbedderSpecKind.ModelFolder => $"embedder {Folder}",
        _ => $"embedder {Source!.Name}",
    };
}
