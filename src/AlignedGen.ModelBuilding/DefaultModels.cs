using System.Security.Cryptography;
using System.Text;

namespace AlignedGen.ModelBuilding;

/// <summary>
/// The embedded default model for offline demos: a byte-level causal LM whose next-token logits are the bigram
/// log-probabilities of a small English text embedded in this assembly, so it writes pseudo-English.
/// </summary>
public static class DefaultModels
{
    /// <summary>Changes whenever the demo model's construction changes, so cached folders are rebuilt.</summary>
    private const string DemoFormatVersion = "alignedgen-demo-v1";

    private const string CorpusResourceName = "AlignedGen.ModelBuilding.demo-corpus.txt";

    private static readonly Lazy<string> Corpus = new(ReadCorpus);

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
    public static string DemoFolderName
    {
        get
        {
            var key = Encoding.UTF8.GetBytes(DemoFormatVersion + "\n" + DemoCorpus);
            return "alignedgen-demo-" + Convert.ToHexStringLower(SHA256.HashData(key))[..12];
        }
    }

    /// <summary>
    /// Returns the path of the demo model folder under <paramref name="cacheDir"/> (default: the system temp folder),
    /// writing it first when absent. Safe when several processes race: the folder is built under a temporary name
    /// and moved into place. The files are the same bytes on every call.
    /// </summary>
    public static string EnsureDemoModel(string? cacheDir = null)
    {
        var parent = string.IsNullOrWhiteSpace(cacheDir) ? Path.GetTempPath() : cacheDir;
        return FolderCache.Ensure(parent, DemoFolderName, ModelConfigWriter.ModelFile, staging => TinyDecoderBuilder.WriteFolder(CreateDemoOptions(), staging));
    }

    private static string ReadCorpus()
    {
        using var stream = typeof(DefaultModels).Assembly.GetManifestResourceStream(CorpusResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {CorpusResourceName} is missing from {typeof(DefaultModels).Assembly.GetName().Name}; rebuild the library.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("\r\n", "\n");
    }
}
