using System.Security.Cryptography;
using System.Text;
using AlignedGen.Models;

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

    /// <summary>What the demo model is, in one phrase for the demo's header.</summary>
    public static string DemoDescription => "a byte-level bigram model built from a 4.7 KB corpus (it writes pseudo-English)";

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
        var parent = Path.GetFullPath(string.IsNullOrWhiteSpace(cacheDir) ? Path.GetTempPath() : cacheDir);
        var folder = Path.Combine(parent, DemoFolderName);
        if (File.Exists(Path.Combine(folder, ModelConfigWriter.ModelFile))) return folder;

        if (Directory.Exists(folder))
        {
            throw new ModelFolderException(folder, "the demo model folder exists but has no model.onnx (it was changed by hand; AlignedGen moves complete folders into place).",
                "delete the folder; the next call rebuilds it.");
        }
        Directory.CreateDirectory(parent);
        var staging = folder + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            TinyDecoderBuilder.WriteFolder(CreateDemoOptions(), staging);
            Directory.Move(staging, folder);
        }
        catch (IOException) when (File.Exists(Path.Combine(folder, ModelConfigWriter.ModelFile)))
        {
            // Another thread or process moved its copy into place first; it has the same bytes.
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
        return folder;
    }

    private static string ReadCorpus()
    {
        using var stream = typeof(DefaultModels).Assembly.GetManifestResourceStream(CorpusResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {CorpusResourceName} is missing from {typeof(DefaultModels).Assembly.GetName().Name}; rebuild the library.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Replace("\r\n", "\n");
    }
}
