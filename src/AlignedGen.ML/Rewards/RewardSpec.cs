using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.ML;

/// <summary>
/// Names the reward an ML.NET transform uses: a reward-model folder, the proxy reward, or a reward source object.
/// The transform opens it once (when fitted or loaded) and shares it between cursors.
/// </summary>
public sealed class RewardSpec
{
    private RewardSpec(RewardSpecKind kind, string? folder, ProxyRewardOptions? proxy, IRewardSource? source)
    {
        Kind = kind;
        Folder = folder;
        ProxyOptions = proxy;
        Source = source;
    }

    /// <summary>What kind of reward this is.</summary>
    public RewardSpecKind Kind { get; }

    /// <summary>The reward-model folder (absolute), for <see cref="RewardSpecKind.ModelFolder"/>.</summary>
    public string? Folder { get; }

    /// <summary>The proxy reward's options, for <see cref="RewardSpecKind.Proxy"/>.</summary>
    public ProxyRewardOptions? ProxyOptions { get; }

    /// <summary>The reward source object, for <see cref="RewardSpecKind.Source"/>.</summary>
    public IRewardSource? Source { get; }

    /// <summary>True when a transformer using this reward can be saved (folder and proxy rewards; not code-built sources or custom query extractors).</summary>
    public bool CanSave => Kind switch
    {
        RewardSpecKind.ModelFolder => true,
        RewardSpecKind.Proxy => ProxyOptions!.ExtractQuery is null,
        _ => false,
    };

    /// <summary>The ONNX reward model in <paramref name="folder"/> (sequence classification or cached decoder, picked from the graph).</summary>
    public static RewardSpec FromFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var full = Path.GetFullPath(folder);
        if (!Directory.Exists(full))
            throw new ModelFolderException(full, "the reward-model folder does not exist.", "pass the folder that holds the reward model's model.onnx, tokenizer files and config.json.");
        return new RewardSpec(RewardSpecKind.ModelFolder, full, null, null);
    }

    /// <summary>The proxy reward (length incentive, repetition penalty, MiniLM relevance) with these options (default: the authors').</summary>
    public static RewardSpec Proxy(ProxyRewardOptions? options = null) => new(RewardSpecKind.Proxy, null, options ?? ProxyRewardOptions.Default, null);

    /// <summary>A reward source built in code. The transform does not dispose it; transformers using it cannot be saved.</summary>
    public static RewardSpec FromSource(IRewardSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new RewardSpec(RewardSpecKind.Source, null, null, source);
    }

    /// <summary>Opens the reward; the returned disposable (null for <see cref="RewardSpecKind.Source"/>) releases what was opened.</summary>
    internal (IRewardSource Reward, IDisposable? Owned) Open()
    {
        switch (Kind)
        {
            case RewardSpecKind.ModelFolder:
                var model = RewardModelLoader.FromFolder(Folder!);
                return (model, model);
            case RewardSpecKind.Proxy:
                // Without the relevance feature the embedder is never called: skip loading MiniLM (~90 MB).
                var proxy = ProxyOptions!.UseRelevance ? ProxyRewardSource.CreateDefault(ProxyOptions) : new ProxyRewardSource(null, ProxyOptions);
                return (proxy, proxy);
            default:
                return (Source!, null);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        RewardSpecKind.ModelFolder => $"reward model {Folder}",
        RewardSpecKind.Proxy => $"proxy reward ({ProxyOptions!.Name})",
        _ => $"reward source {Source!.Name}",
    };
}
