using AlignedGen.ModelBuilding;

namespace AlignedGen.ML.Tests;

/// <summary>The tiny models the tests run on: the demo LM (byte-level, vocab 259) and a constructed cached reward model over the same vocabulary.</summary>
internal static class TestModels
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var root = Path.Combine(Path.GetTempPath(), "alignedgen-ml-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return root;
    });

    private static readonly Lazy<string> Lm = new(() => DefaultModels.EnsureDemoModel());

    private static readonly Lazy<string> Rm = new(() => TinyRewardModelBuilder.WriteCachedFolder(RewardOptions(), Path.Combine(Root.Value, "rm")));

    /// <summary>The demo LM folder.</summary>
    public static string LanguageModel => Lm.Value;

    /// <summary>A cached reward model: reward = value of the last token, values seeded in [-2, 2].</summary>
    public static string RewardModel => Rm.Value;

    /// <summary>A fresh folder for one test.</summary>
    public static string NewFolder(string name)
    {
        var path = Path.Combine(Root.Value, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Copies every file of <paramref name="source"/> into a new folder.</summary>
    public static string Copy(string source, string name)
    {
        var target = NewFolder(name);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest);
        }
        return target;
    }

    private static TinyRewardModelOptions RewardOptions()
    {
        var random = new Random(11);
        var values = Enumerable.Range(0, 259).Select(_ => (float)Math.Round(random.NextDouble() * 4 - 2, 3)).ToArray();
        return new TinyRewardModelOptions(values, RewardRule.LastTokenValue)
        {
            Architecture = new TinyTransformerArchitecture { Layers = 1, Heads = 2, KvHeads = 2, HeadSize = 8, MlpSize = 16, PositionFeatures = 8, ScratchDims = 8, MaxPositions = 256, Seed = 5 },
        };
    }
}
