using AlignedGen.Models;

namespace AlignedGen.Rewards;

/// <summary>
/// Names the sentence embedder coherence is measured with — the packaged all-MiniLM-L6-v2, an ONNX sentence-embedding
/// folder, or an embedder object — without loading it. <see cref="Open"/> returns an owned handle; references compare by value.
/// </summary>
public sealed class EmbedderReference : IEquatable<EmbedderReference>
{
    private EmbedderReference(EmbedderReferenceKind kind, string? folder, SentenceEmbedderOptions? options, ISentenceEmbedder? embedder)
    {
        Kind = kind;
        Folder = folder;
        Options = options;
        Embedder = embedder;
    }

    /// <summary>What kind of embedder this is.</summary>
    public EmbedderReferenceKind Kind { get; }

    /// <summary>The embedding-model folder (absolute), for <see cref="EmbedderReferenceKind.ModelFolder"/>.</summary>
    public string? Folder { get; }

    /// <summary>The embedder's options (null = its defaults), for <see cref="EmbedderReferenceKind.MiniLm"/> and <see cref="EmbedderReferenceKind.ModelFolder"/>.</summary>
    public SentenceEmbedderOptions? Options { get; }

    /// <summary>The embedder object, for <see cref="EmbedderReferenceKind.Source"/>.</summary>
    public ISentenceEmbedder? Embedder { get; }

    /// <summary>Why this reference cannot be written down and read back, or null when it can.</summary>
    public string? WhyNotWritable => Kind == EmbedderReferenceKind.Source ? $"its {this} was built in code (EmbedderReference.FromEmbedder)" : null;

    /// <summary>The packaged all-MiniLM-L6-v2 (the proxy reward's embedder; no download) with these options (null = MaxLength 256, normalised).</summary>
    public static EmbedderReference MiniLm(SentenceEmbedderOptions? options = null) => new(EmbedderReferenceKind.MiniLm, null, options, null);

    /// <summary>The ONNX sentence-embedding model in <paramref name="folder"/> (model.onnx or onnx/model.onnx, with tokenizer.json or vocab.txt).</summary>
    public static EmbedderReference FromFolder(string folder, SentenceEmbedderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new ModelFolderException(full, "the sentence-embedding model folder does not exist.",
                "pass the folder that holds the embedder's model.onnx and tokenizer files, or use the packaged all-MiniLM-L6-v2 (EmbedderReference.MiniLm()).");
        return new EmbedderReference(EmbedderReferenceKind.ModelFolder, full, options, null);
    }

    /// <summary>An embedder built in code; used as is and never disposed.</summary>
    public static EmbedderReference FromEmbedder(ISentenceEmbedder embedder)
        => new(EmbedderReferenceKind.Source, null, null, embedder ?? throw new ArgumentNullException(nameof(embedder)));

    /// <summary>Loads the embedder; dispose the handle to release what was loaded (nothing for <see cref="EmbedderReferenceKind.Source"/>).</summary>
    public Owned<ISentenceEmbedder> Open() => OpenedSources.OpenAlone(scope => scope.Open(this));

    /// <summary>Loads this reference; the scope owns what was loaded.</summary>
    internal ISentenceEmbedder Load(OpenedSources scope) => Kind switch
    {
        EmbedderReferenceKind.MiniLm => scope.Own(MiniLmSentenceEmbedder.Create(Options)),
        EmbedderReferenceKind.ModelFolder => scope.Own(OnnxSentenceEmbedder.FromFolder(Folder!, Options)),
        _ => Embedder!,
    };

    /// <inheritdoc />
    public bool Equals(EmbedderReference? other) => other is not null && Kind == other.Kind
        && string.Equals(Folder, other.Folder, StringComparison.Ordinal) && ReferenceEquals(Options, other.Options) && ReferenceEquals(Embedder, other.Embedder);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as EmbedderReference);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Folder, Options, Embedder);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        EmbedderReferenceKind.MiniLm => $"embedder {MiniLmSentenceEmbedder.ModelName}",
        EmbedderReferenceKind.ModelFolder => $"embedder {Folder}",
        _ => $"embedder {Embedder!.Name}",
    };
}
