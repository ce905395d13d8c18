using System.Management.Automation;
using AlignedGen.Hub;
using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>
/// Reads the -Model, -RewardModel and -Embedder arguments of the module's cmdlets. An object from Import-AlignedModel /
/// Import-RewardModel / New-*Reward is used as it is (and left open); a path (string or FileSystemInfo, relative to the
/// PowerShell location) names a folder, a Hub reference (hf:org/name[@revision][/subfolder]) a folder downloaded into
/// the Hub cache, and "proxy" the built-in proxy reward. Rewards and embedders become core
/// references (<see cref="RewardReference"/>, <see cref="EmbedderReference"/>) that an <see cref="OpenedSources"/> loads
/// and disposes; a model folder is loaded into the caller's <see cref="OpenedSources"/>.
/// </summary>
public static class ModelArguments
{
    /// <summary>The language model an argument names; a folder is loaded with <paramref name="execution"/> and owned by <paramref name="opened"/>.</summary>
    public static ICausalLanguageModel Model(object? argument, Func<string, string> resolvePath, OpenedSources opened,
        ExecutionOptions? execution = null, string parameterName = "Model")
    {
        ArgumentNullException.ThrowIfNull(opened);
        return Unwrap(argument) is ICausalLanguageModel model ? model
            : Unwrap(argument) is string reference && HubModelReference.HasPrefix(reference) ? opened.Own(OnnxCausalLanguageModel.FromHub(reference, execution))
            : PathOf(argument, resolvePath) is { } folder ? opened.Own(OnnxCausalLanguageModel.Load(folder, execution))
            : throw new ArgumentException($"-{parameterName} is {Describe(argument)}; give a model folder path or a model from Import-AlignedModel.", parameterName);
    }

    /// <summary>The reward an argument names: a reward object, a <see cref="RewardReference"/>, or text that <see cref="RewardReference.Parse"/> reads ("proxy", hf:, a folder).</summary>
    public static RewardReference Reward(object? argument, Func<string, string> resolvePath, string parameterName = "RewardModel")
        => Unwrap(argument) switch
        {
            IRewardSource source => RewardReference.FromSource(source),
            RewardReference reference => reference,
            string text when !string.IsNullOrWhiteSpace(text) => RewardReference.Parse(text, resolvePath),
            _ => PathOf(argument, resolvePath) is { } folder ? RewardReference.FromFolder(folder)
                : throw new ArgumentException(
                    $"-{parameterName} is {Describe(argument)}; give a reward model folder path, an hf: reference, \"{RewardReference.ProxyName}\", or a reward from Import-RewardModel, "
                    + "New-ProxyReward, New-CompositeReward or New-ScriptReward.", parameterName),
        };

    /// <summary>The reward an argument names, or null when the argument is null.</summary>
    public static RewardReference? RewardOrNull(object? argument, Func<string, string> resolvePath, string parameterName)
        => argument is null ? null : Reward(argument, resolvePath, parameterName);

    /// <summary>
    /// The sentence embedder an argument names: an embedder object, the embedder of a proxy reward (New-ProxyReward), an
    /// <see cref="EmbedderReference"/>, or an ONNX sentence-embedding model folder.
    /// </summary>
    public static EmbedderReference Embedder(object? argument, Func<string, string> resolvePath, string parameterName = "Embedder")
        => Unwrap(argument) switch
        {
            ISentenceEmbedder embedder => EmbedderReference.FromEmbedder(embedder),
            ProxyRewardSource { Embedder: { } proxyEmbedder } => EmbedderReference.FromEmbedder(proxyEmbedder),
            EmbedderReference reference => reference,
            _ => PathOf(argument, resolvePath) is { } folder ? EmbedderReference.FromFolder(folder)
                : throw new ArgumentException(
                    $"-{parameterName} is {Describe(argument)}; give a sentence-embedding model folder (model.onnx + tokenizer), "
                    + "an ISentenceEmbedder, or a proxy reward from New-ProxyReward (its embedder is used).", parameterName),
        };

    /// <summary>The object inside a PSObject wrapper (or the value itself).</summary>
    public static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

    /// <summary>The full path a string or FileSystemInfo argument names (strings resolved against the PowerShell location), else null.</summary>
    private static string? PathOf(object? argument, Func<string, string> resolvePath) => Unwrap(argument) switch
    {
        string path when !string.IsNullOrWhiteSpace(path) => (resolvePath ?? throw new ArgumentNullException(nameof(resolvePath)))(path),
        FileSystemInfo item => item.FullName,
        _ => null,
    };

    private static string Describe(object? argument) => Unwrap(argument) switch
    {
        null => "null",
        string => "an empty string",
        var other => "a " + other.GetType().Name,
    };
}
