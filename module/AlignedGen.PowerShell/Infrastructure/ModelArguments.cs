using System.Management.Automation;
using AlignedGen.Hub;
using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>
/// Reads the -Model and -RewardModel arguments of the module's cmdlets: an object from Import-AlignedModel /
/// Import-RewardModel / New-*Reward is used as it is (and left open); a folder path (string or DirectoryInfo) or a Hub
/// reference (hf:org/name[@revision][/subfolder], downloaded into the Hub cache) is loaded here, and the caller owns
/// (disposes) what was loaded, which <paramref name="owned"/> reports.
/// </summary>
public static class ModelArguments
{
    /// <summary>The language model an argument names; loads a folder with <paramref name="execution"/>.</summary>
    public static ICausalLanguageModel ResolveModel(object? argument, Func<string, string> resolvePath, out bool owned,
        ExecutionOptions? execution = null, string parameterName = "Model")
    {
        ArgumentNullException.ThrowIfNull(resolvePath);
        switch (Unwrap(argument))
        {
            case ICausalLanguageModel model:
                owned = false;
                return model;
            case string reference when HubModelReference.HasPrefix(reference):
                owned = true;
                return OnnxCausalLanguageModel.FromHub(reference, execution);
            case string path when !string.IsNullOrWhiteSpace(path):
                owned = true;
                return OnnxCausalLanguageModel.Load(resolvePath(path), execution);
            case FileSystemInfo item:
                owned = true;
                return OnnxCausalLanguageModel.Load(item.FullName, execution);
            default:
                throw new ArgumentException(
                    $"-{parameterName} is {Describe(argument)}; give a model folder path or a model from Import-AlignedModel.", parameterName);
        }
    }

    /// <summary>The reward source an argument names; loads an ONNX reward model folder with RewardModelLoader.</summary>
    public static IRewardSource ResolveReward(object? argument, Func<string, string> resolvePath, out bool owned,
        string parameterName = "RewardModel")
    {
        ArgumentNullException.ThrowIfNull(resolvePath);
        switch (Unwrap(argument))
        {
            case IRewardSource source:
                owned = false;
                return source;
            case string reference when HubModelReference.HasPrefix(reference):
                owned = true;
                return RewardModelLoader.FromHub(reference);
            case string path when !string.IsNullOrWhiteSpace(path):
                owned = true;
                return RewardModelLoader.FromFolder(resolvePath(path));
            case FileSystemInfo item:
                owned = true;
                return RewardModelLoader.FromFolder(item.FullName);
            default:
                throw new ArgumentException(
                    $"-{parameterName} is {Describe(argument)}; give a reward model folder path or a reward from Import-RewardModel, "
                    + "New-ProxyReward, New-CompositeReward or New-ScriptReward.", parameterName);
        }
    }

    /// <summary>
    /// The sentence embedder an argument names: an embedder object, the embedder of a proxy reward (New-ProxyReward), or
    /// an ONNX sentence-embedding model folder (loaded here; the caller owns it).
    /// </summary>
    public static ISentenceEmbedder ResolveEmbedder(object? argument, Func<string, string> resolvePath, out bool owned,
        string parameterName = "Embedder")
    {
        ArgumentNullException.ThrowIfNull(resolvePath);
        switch (Unwrap(argument))
        {
            case ISentenceEmbedder embedder:
                owned = false;
                return embedder;
            case ProxyRewardSource { Embedder: { } proxyEmbedder }:
                owned = false;
                return proxyEmbedder;
            case string path when !string.IsNullOrWhiteSpace(path):
                owned = true;
                return OnnxSentenceEmbedder.FromFolder(resolvePath(path));
            case FileSystemInfo item:
                owned = true;
                return OnnxSentenceEmbedder.FromFolder(item.FullName);
            default:
                throw new ArgumentException(
                    $"-{parameterName} is {Describe(argument)}; give a sentence-embedding model folder (model.onnx + tokenizer), "
                    + "an ISentenceEmbedder, or a proxy reward from New-ProxyReward (its embedder is used).", parameterName);
        }
    }

    /// <summary>
    /// The embedder for coherence when none was given: the one inside a proxy reward among <paramref name="rewards"/>
    /// (no second MiniLM load), else a new packaged all-MiniLM-L6-v2 that the caller owns (<paramref name="owned"/>).
    /// </summary>
    public static ISentenceEmbedder DefaultEmbedder(IEnumerable<IRewardSource?> rewards, out bool owned)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        if (rewards.OfType<ProxyRewardSource>().Select(p => p.Embedder).FirstOrDefault(e => e is not null) is { } shared)
        {
            owned = false;
            return shared;
        }
        owned = true;
        return MiniLmSentenceEmbedder.Create();
    }

    /// <summary>The object inside a PSObject wrapper (or the value itself).</summary>
    public static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

    private static string Describe(object? argument) => Unwrap(argument) switch
    {
        null => "null",
        string => "an empty string",
        var other => "a " + other.GetType().Name,
    };
}
