using System.Globalization;
using AlignedGen.Hub;
using AlignedGen.Models;

namespace AlignedGen.Rewards;

/// <summary>
/// Names a reward without loading it — an ONNX reward-model folder, the built-in proxy reward, a weighted composite of
/// other references, or a reward source built in code — so that every surface (the CLI's <c>--reward</c>, the cmdlets'
/// <c>-RewardModel</c>, ML.NET options and saved transforms) resolves rewards the same way. <see cref="Open"/> loads it
/// and returns an owned handle; <see cref="OpenedSources"/> opens several, equal references once. References compare by
/// value (the same folder twice is the same reward).
/// </summary>
public sealed class RewardReference : IEquatable<RewardReference>
{
    /// <summary>The text that names the built-in proxy reward in <see cref="Parse"/>.</summary>
    public const string ProxyName = "proxy";

    private RewardReference(RewardReferenceKind kind, string? folder = null, RewardModelOptions? modelOptions = null,
        ProxyRewardOptions? proxyOptions = null, IReadOnlyList<WeightedRewardReference>? components = null, string? name = null,
        IRewardSource? source = null)
    {
        Kind = kind;
        Folder = folder;
        ModelOptions = modelOptions;
        ProxyOptions = proxyOptions;
        Components = components ?? Array.Empty<WeightedRewardReference>();
        Name = name;
        Source = source;
    }

    /// <summary>What kind of reward this is.</summary>
    public RewardReferenceKind Kind { get; }

    /// <summary>The reward-model folder (absolute), for <see cref="RewardReferenceKind.ModelFolder"/>.</summary>
    public string? Folder { get; }

    /// <summary>The reward model's options (null = its defaults), for <see cref="RewardReferenceKind.ModelFolder"/>.</summary>
    public RewardModelOptions? ModelOptions { get; }

    /// <summary>The proxy reward's options, for <see cref="RewardReferenceKind.Proxy"/>.</summary>
    public ProxyRewardOptions? ProxyOptions { get; }

    /// <summary>The weighted terms, for <see cref="RewardReferenceKind.Composite"/> (empty otherwise).</summary>
    public IReadOnlyList<WeightedRewardReference> Components { get; }

    /// <summary>The composite's name (null = a description of the sum).</summary>
    public string? Name { get; }

    /// <summary>The reward source object, for <see cref="RewardReferenceKind.Source"/>.</summary>
    public IRewardSource? Source { get; }

    /// <summary>Every model folder this reference loads (its own, or its components'), for fingerprints.</summary>
    public IEnumerable<string> Folders => Kind == RewardReferenceKind.Composite
        ? Components.SelectMany(c => c.Reward.Folders).Distinct(StringComparer.Ordinal)
        : Folder is null ? Enumerable.Empty<string>() : new[] { Folder };

    /// <summary>Why this reference cannot be written down and read back (code-built parts), or null when it can.</summary>
    public string? WhyNotWritable => Kind switch
    {
        RewardReferenceKind.Source => $"its reward ({this}) was built in code (RewardReference.FromSource)",
        RewardReferenceKind.ModelFolder when ModelOptions is not null => $"its reward model {Folder} has options set in code (RewardModelOptions)",
        RewardReferenceKind.Proxy when ProxyOptions!.ExtractQuery is not null => "its proxy reward has a custom ExtractQuery function",
        RewardReferenceKind.Composite => Components.Select(c => c.Normalization == RewardNormalization.None || c.Normalization.Statistics is not null
            ? c.Reward.WhyNotWritable : $"its composite term {c.Reward} has a custom normalisation ({c.Normalization})").FirstOrDefault(r => r is not null),
        _ => null,
    };

    /// <summary>
    /// The ONNX reward model in <paramref name="folder"/> (sequence classification or cached decoder, picked from the
    /// graph); a Hub reference <c>hf:org/name[@revision][/subfolder]</c> is brought into the Hub cache now (with
    /// <paramref name="hub"/>, default the HF_* environment) and named by its cached folder.
    /// </summary>
    public static RewardReference FromFolder(string folder, RewardModelOptions? options = null, HubOptions? hub = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        if (HubModelReference.HasPrefix(folder.Trim()))
            folder = ModelLocation.ResolveFolder(folder.Trim(), options?.Execution.Device ?? ExecutionDevice.Cpu, hub);
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new ModelFolderException(full, "the reward-model folder does not exist.",
                $"pass the folder that holds the reward model's model.onnx, tokenizer files and config.json, or \"{ProxyName}\" for the built-in proxy reward.");
        return new RewardReference(RewardReferenceKind.ModelFolder, folder: full, modelOptions: options);
    }

    /// <summary>The proxy reward (length incentive, repetition penalty, MiniLM relevance) with these options (default: the authors').</summary>
    public static RewardReference Proxy(ProxyRewardOptions? options = null)
        => new(RewardReferenceKind.Proxy, proxyOptions: options ?? ProxyRewardOptions.Default);

    /// <summary>The weighted sum of <paramref name="components"/> (at least one); <paramref name="name"/> defaults to a description of the sum.</summary>
    public static RewardReference Composite(IEnumerable<WeightedRewardReference> components, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(components);
        var terms = components.ToArray();
        if (terms.Length == 0)
            throw new ArgumentException("A composite reward needs at least one component.", nameof(components));
        if (Array.IndexOf(terms, null) is var i and >= 0)
            throw new ArgumentException($"Component {i} is null.", nameof(components));
        if (name is not null && string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("The name cannot be blank; pass null for the default.", nameof(name));
        return new RewardReference(RewardReferenceKind.Composite, components: terms, name: name);
    }

    /// <summary>A reward source built in code (a delegate, a loaded model, a composite object). It is used as is and never disposed.</summary>
    public static RewardReference FromSource(IRewardSource source)
        => new(RewardReferenceKind.Source, source: source ?? throw new ArgumentNullException(nameof(source)));

    /// <summary>A reward computed by <paramref name="score"/> for each (prompt, response) (see <see cref="DelegateRewardSource.PerQuery"/>).</summary>
    public static RewardReference FromDelegate(string name, Func<RewardQuery, float> score) => FromSource(DelegateRewardSource.PerQuery(name, score));

    /// <summary>
    /// The reward a user typed: <c>"proxy"</c> (the built-in proxy reward), a Hub reference
    /// <c>hf:org/name[@revision][/subfolder]</c> (brought into the Hub cache now, see <see cref="ModelLocation"/>, and named
    /// by its cached folder), or a reward-model folder, relative paths resolved with <paramref name="resolvePath"/>
    /// (default: against the current directory).
    /// </summary>
    public static RewardReference Parse(string text, Func<string, string>? resolvePath = null, RewardModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var trimmed = text.Trim();
        if (string.Equals(trimmed, ProxyName, StringComparison.OrdinalIgnoreCase)) return Proxy();
        if (HubModelReference.HasPrefix(trimmed)) return FromFolder(trimmed, options);
        return FromFolder(resolvePath is null ? trimmed : resolvePath(trimmed), options);
    }

    /// <summary>Loads the reward; dispose the handle to release what was loaded (nothing for <see cref="RewardReferenceKind.Source"/>).</summary>
    public Owned<IRewardSource> Open() => OpenedSources.OpenAlone(scope => scope.Open(this));

    /// <summary>Loads this reference (components through <paramref name="scope"/>, so shared parts load once); the scope owns what is disposable.</summary>
    internal IRewardSource Load(OpenedSources scope) => Kind switch
    {
        RewardReferenceKind.ModelFolder => scope.Own(RewardModelLoader.FromFolder(Folder!, ModelOptions)),
        // Without the relevance feature the embedder is never called: skip loading MiniLM (~90 MB).
        RewardReferenceKind.Proxy => scope.Own(ProxyOptions!.UseRelevance ? ProxyRewardSource.CreateDefault(ProxyOptions) : new ProxyRewardSource(null, ProxyOptions)),
        RewardReferenceKind.Composite => new CompositeRewardSource(Components.Select(c => new RewardComponent(scope.Open(c.Reward), c.Weight, c.Normalization)), Name),
        _ => Source!,
    };

    /// <inheritdoc />
    public bool Equals(RewardReference? other) => other is not null && (ReferenceEquals(this, other) || (Kind == other.Kind
        && string.Equals(Folder, other.Folder, StringComparison.Ordinal) && ReferenceEquals(ModelOptions, other.ModelOptions)
        && ReferenceEquals(ProxyOptions, other.ProxyOptions) && ReferenceEquals(Source, other.Source)
        && string.Equals(Name, other.Name, StringComparison.Ordinal) && Components.SequenceEqual(other.Components)));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RewardReference);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Folder, ProxyOptions, Source, Name, Components.Count);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        RewardReferenceKind.ModelFolder => $"reward model {Folder}",
        RewardReferenceKind.Proxy => $"proxy reward ({ProxyOptions!.Name})",
        RewardReferenceKind.Composite => Name ?? string.Join(" + ", Components.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Weight:G4}*({c.Reward})"))),
        _ => $"reward source {Source!.Name}",
    };
}
