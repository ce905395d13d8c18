using AlignedGen.Models;
using AlignedGen.Rewards;
using Xunit;

namespace AlignedGen.Tests.Rewards;

/// <summary>
/// Reward and embedder references: value equality, parsing what users type, opening into owned handles, equal
/// references loaded once, composites of references, and what can be written down.
/// </summary>
public sealed class RewardReferenceTests
{
    private static readonly Lazy<string> MaxIdFolder = new(() => Path.GetDirectoryName(TinyOnnx.WriteTemp(TinyOnnx.MaxIdRewardModel(), "ref-max-id-rm"))!);
    private static readonly RewardModelOptions ByIds = new() { UseTokenIds = true };

    private static RewardQuery Ids(params int[] ids) => new("", "") { PromptTokenIds = ids[..1], ResponseTokenIds = ids[1..] };

    [Fact]
    public void References_compare_by_what_they_name()
    {
        var folder = MaxIdFolder.Value;
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, folder);
        Assert.Equal(RewardReference.FromFolder(folder, ByIds), RewardReference.FromFolder(relative, ByIds));
        Assert.NotEqual(RewardReference.FromFolder(folder), RewardReference.FromFolder(folder, ByIds));
        Assert.Equal(RewardReference.Proxy(), RewardReference.Parse(" Proxy "));
        var source = DelegateRewardSource.PerQuery("len", q => q.Response.Length);
        Assert.Equal(RewardReference.FromSource(source), RewardReference.FromSource(source));
        Assert.NotEqual(RewardReference.FromSource(source), RewardReference.FromSource(DelegateRewardSource.PerQuery("len", q => q.Response.Length)));
        Assert.Equal(RewardReference.Composite(new[] { new WeightedRewardReference(RewardReference.Proxy(), 2) }),
            RewardReference.Composite(new[] { new WeightedRewardReference(RewardReference.Proxy(), 2) }));
    }

    [Fact]
    public void Parse_takes_proxy_or_a_folder_and_a_missing_folder_names_the_path_and_the_fix()
    {
        Assert.Equal(RewardReferenceKind.Proxy, RewardReference.Parse("proxy").Kind);
        var folder = RewardReference.Parse("rm", p => Path.Combine(Path.GetDirectoryName(MaxIdFolder.Value)!, Path.GetFileName(MaxIdFolder.Value)));
        Assert.Equal((RewardReferenceKind.ModelFolder, MaxIdFolder.Value), (folder.Kind, folder.Folder));
        var missing = Path.Combine(Path.GetTempPath(), "no-such-rm-" + Guid.NewGuid().ToString("N"));
        var e = Assert.Throws<ModelFolderException>(() => RewardReference.Parse(missing));
        Assert.Equal(missing, e.Path);
        Assert.Contains("\"proxy\"", e.Fix);
    }

    [Fact]
    public void Open_loads_a_folder_into_an_owned_handle_and_leaves_code_built_sources_open()
    {
        using (var handle = RewardReference.FromFolder(MaxIdFolder.Value, ByIds).Open())
        {
            Assert.IsAssignableFrom<OnnxRewardModel>(handle.Value);
            Assert.Equal(new float[] { 9 }, handle.Value.Score(new[] { Ids(1, 4, 9, 2) }));
        }

        var own = new DisposableSource();
        var opened = RewardReference.FromSource(own).Open();
        Assert.Same(own, opened.Value);
        opened.Dispose();
        Assert.False(own.Disposed);
    }

    [Fact]
    public void Equal_references_open_once_and_the_scope_disposes_what_it_loaded()
    {
        var scope = new OpenedSources();
        var a = scope.Open(RewardReference.FromFolder(MaxIdFolder.Value, ByIds));
        var b = scope.Open(RewardReference.FromFolder(MaxIdFolder.Value, ByIds));
        Assert.Same(a, b);
        var composite = (CompositeRewardSource)scope.Open(RewardReference.Composite(new[]
        {
            new WeightedRewardReference(RewardReference.FromFolder(MaxIdFolder.Value, ByIds), 2),
            new WeightedRewardReference(RewardReference.FromFolder(MaxIdFolder.Value, ByIds), -0.5),
        }));
        Assert.All(composite.Components, c => Assert.Same(a, c.Source));
        scope.Dispose();
        Assert.ThrowsAny<ObjectDisposedException>(() => a.Score(new[] { Ids(1, 4, 9, 2) }));
    }

    [Fact]
    public void A_composite_reference_scores_the_weighted_sum_of_its_parts()
    {
        var length = DelegateRewardSource.PerQuery("len", q => q.Response.Length);
        var reference = RewardReference.Composite(new[]
        {
            new WeightedRewardReference(RewardReference.FromFolder(MaxIdFolder.Value, ByIds), 2),
            new WeightedRewardReference(RewardReference.FromSource(length), -1, RewardNormalization.Affine(10)),
        }, "mix");
        using var handle = reference.Open();
        var query = new RewardQuery("p", "abc") { PromptTokenIds = new[] { 1 }, ResponseTokenIds = new[] { 7, 3 } };
        // 2 · max id (7) − 1 · (10 · length 3) = 14 − 30.
        Assert.Equal(new float[] { -16 }, RewardChecks.ScoreChecked(handle.Value, new[] { query }));
        Assert.Equal("mix", handle.Value.Name);
    }

    [Fact]
    public void What_cannot_be_written_down_says_why()
    {
        var folder = RewardReference.FromFolder(MaxIdFolder.Value);
        Assert.Null(folder.WhyNotWritable);
        Assert.Null(RewardReference.Proxy().WhyNotWritable);
        Assert.Null(RewardReference.Composite(new[] { new WeightedRewardReference(folder, 0.5), new WeightedRewardReference(RewardReference.Proxy()) }).WhyNotWritable);
        Assert.Contains("built in code", RewardReference.FromDelegate("len", q => 1).WhyNotWritable);
        Assert.Contains("options set in code", RewardReference.FromFolder(MaxIdFolder.Value, ByIds).WhyNotWritable);
        Assert.Contains("ExtractQuery", RewardReference.Proxy(new ProxyRewardOptions { ExtractQuery = p => p }).WhyNotWritable);
        Assert.Contains("custom normalisation", RewardReference.Composite(new[] { new WeightedRewardReference(folder, 1, RewardNormalization.Affine(2)) }).WhyNotWritable);
        Assert.Contains("built in code", RewardReference.Composite(new[] { new WeightedRewardReference(RewardReference.FromDelegate("x", q => 1)) }).WhyNotWritable);
        Assert.Equal(new[] { MaxIdFolder.Value }, RewardReference.Composite(new[] { new WeightedRewardReference(folder), new WeightedRewardReference(folder) }).Folders);
    }

    [Fact]
    public void The_default_embedder_is_a_proxy_reward_s_own_when_there_is_one()
    {
        using var scope = new OpenedSources();
        var embedder = new FixedEmbedder();
        var proxy = new ProxyRewardSource(embedder);
        Assert.Same(embedder, scope.OpenDefaultEmbedder(new IRewardSource?[] { null, DelegateRewardSource.PerQuery("x", q => 0), proxy }));
        Assert.Same(embedder, scope.Open(EmbedderReference.FromEmbedder(embedder)));
        Assert.Equal(EmbedderReference.MiniLm(), EmbedderReference.MiniLm());
        Assert.Contains("built in code", EmbedderReference.FromEmbedder(embedder).WhyNotWritable);
    }

    private sealed class DisposableSource : IRewardSource, IDisposable
    {
        public bool Disposed { get; private set; }
        public string Name => "disposable";
        public float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default) => new float[queries.Count];
        public void Dispose() => Disposed = true;
    }

    private sealed class FixedEmbedder : ISentenceEmbedder
    {
        public string Name => "fixed";
        public int Dimension => 2;
        public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default) => texts.Select(_ => new[] { 1f, 0f }).ToArray();
    }
}
