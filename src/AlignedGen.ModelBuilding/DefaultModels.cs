using System.Security.Cryptography;
using System.Text;
using AlignedGen.Models;
using AlignedGen.Tokenization;

namespace AlignedGen.ModelBuilding;

/// <summary>
/// The embedded models for offline demos and tests, built on first use into a cache folder:
/// <see cref="EnsureStoryModel"/>, the model `aligngen demo` runs — a word-level interpolated 4-gram model of the
/// English text embedded in this assembly, so it writes recognisable English; and <see cref="EnsureDemoModel"/>, a
/// byte-level transformer whose next-token logits are the byte bigram log-probabilities of the same first text (it
/// writes pseudo-English; the tests use it because its every logit is known).
/// </summary>
public static class DefaultModels
{
    /// <summary>Changes whenever the demo model's construction changes, so cached folders are rebuilt.</summary>
    private const string DemoFormatVersion = "alignedgen-demo-v1";

    /// <summary>Changes whenever the story model's construction changes.</summary>
    private const string StoryFormatVersion = "alignedgen-story-v1";

    /// <summary>The story model's context length (an n-gram model has no position limit; this is what its config declares).</summary>
    public const int StoryContextLength = 1024;

    private static readonly Lazy<string> Corpus = new(() => ReadResource("AlignedGen.ModelBuilding.demo-corpus.txt"));

    private static readonly Lazy<string> Stories = new(() => Corpus.Value.TrimEnd('\n') + "\n" + ReadResource("AlignedGen.ModelBuilding.story-corpus.txt"));

    /// <summary>The embedded English text of the story model (one document per line): the demo corpus plus short stories.</summary>
    public static string StoryCorpus => Stories.Value;

    /// <summary>What the story model is, in one phrase for the demo's header.</summary>
    public static string StoryModelDescription => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"a word-level 4-gram model the project builds from the {Encoding.UTF8.GetByteCount(StoryCorpus) / 1024.0:F1} KB of English it carries");

    /// <summary>Name of the story model folder: "alignedgen-story-" + a hash of the format version and the corpus.</summary>
    public static string StoryFolderName => "alignedgen-story-" + Hash(StoryFormatVersion + "\n" + StoryCorpus);

    /// <summary>
    /// The path of the story model folder under <paramref name="cacheDir"/> (default: the system temp folder), written
    /// first when absent: word-level tokenizer files (WordPiece with whole words), model.onnx, config.json. Same bytes on every call.
    /// </summary>
    public static string EnsureStoryModel(string? cacheDir = null) => EnsureFolder(cacheDir, StoryFolderName, WriteStoryModel);

    private static void WriteStoryModel(string folder)
    {
        var vocabulary = WordVocabulary.FromCorpus(StoryCorpus);
        Directory.CreateDirectory(folder);
        WordPieceTokenizerWriter.WriteAll(folder, vocabulary, StoryContextLength);
        // The folder's own tokenizer cuts the corpus, so the counts are over exactly the ids a prompt will have.
        var tokenizer = TokenizerLoader.FromFolder(folder);
        var documents = StoryCorpus.Split('\n').Where(l => l.Trim().Length > 0).Select(l => tokenizer.Encode(l, addSpecialTokens: false)).ToList();
        var tables = NGramTables.FromSequences(documents, vocabulary.Size, WordVocabulary.BosId, WordVocabulary.EosId, WordVocabulary.PadId);
        NGramDecoderBuilder.WriteFolder(tables, WordVocabulary.SpecialTokens, folder, StoryContextLength);
    }

    /// <summary>The embedded training text of the demo model (one document per line).</summary>
    public static string DemoCorpus => Corpus.Value;

    /// <summary>The options the demo model is built from: vocab 259, 2 layers, 4 heads over 2 KV heads (GQA), silent attention, position_ids input, fp32.</summary>
    public static TinyDecoderOptions CreateDemoOptions() => new(BigramTable.FromCorpus(DemoCorpus))
    {
        Architecture = new TinyTransformerArchitecture
        {
            Layers = 2,
            Heads = 4,
            KvHeads = 2,
            HeadSize = 16,
            MlpSize = 32,
            PositionFeatures = 8,
            ScratchDims = 13,
            MaxPositions = 512,
            Seed = 20250101,
        },
        Attention = AttentionContribution.Silent,
        IncludePositionIds = true,
    };

    /// <summary>Name of the demo model folder: "alignedgen-demo-" + a hash of the format version and the corpus.</summary>
    public static string DemoFolderName => "alignedgen-demo-" + Hash(DemoFormatVersion + "\n" + DemoCorpus);

    /// <summary>
    /// Returns the path of the demo model folder under <paramref name="cacheDir"/> (default: the system temp folder),
    /// writing it first when absent. Safe when several processes race: the folder is built under a temporary name
    /// and moved into place. The files are the same bytes on every call.
    /// </summary>
    public static string EnsureDemoModel(string? cacheDir = null) =>
        EnsureFolder(cacheDir, DemoFolderName, folder => TinyDecoderBuilder.WriteFolder(CreateDemoOptions(), folder));

    /// <summary>
    /// The folder <paramref name="name"/> under the cache, written by <paramref name="write"/> when absent. Safe when
    /// several processes race: the folder is built under a temporary name and moved into place.
    /// </summary>
    private static string EnsureFolder(string? cacheDir, string name, Action<string> write) =>
        FolderCache.Ensure(string.IsNullOrWhiteSpace(cacheDir) ? Path.GetTempPath() : cacheDir, name, ModelConfigWriter.ModelFile, write);

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];

    private static string ReadResource(string name)
    {
        using var stream = typeof(DefaultModels).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from {typeof(DefaultModels).Assembly.GetName().Name}; rebuild the library.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("\r\n", "\n");
    }
}
