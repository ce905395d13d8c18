using AlignedGen.Models;

namespace AlignedGen.Hub;

/// <summary>
/// The model folders ("variants") of a repository listing and the choice among them. onnxruntime-genai repositories
/// keep one folder per device and precision (cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4, cuda/cuda-fp16, ...);
/// Optimum exports keep one folder at the root or in onnx/.
/// </summary>
public static class ModelVariants
{
    private const int ListedFilesInErrors = 30;

    /// <summary>The folders of <paramref name="info"/> that hold an ONNX graph ("" for the root), sorted.</summary>
    public static IReadOnlyList<string> List(HubRepositoryInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        return info.Files.Where(f => ModelFolderFiles.IsGraph(f.Name)).Select(f => f.Folder).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The folder to download: the subfolder asked for; else the root when it holds a graph; else the only variant; else
    /// the only variant made for <paramref name="device"/> (its path names "cpu", or "cuda"/"gpu"). Otherwise asks, with
    /// a <see cref="HubException"/> that lists the variants and how to pick one.
    /// </summary>
    public static string Choose(HubRepositoryInfo info, HubModelReference reference, ExecutionDevice device)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var variants = List(info);
        var name = reference.ToString();
        if (variants.Count == 0)
        {
            var files = info.Files.Select(f => f.Path).ToList();
            throw new HubException(HubErrorKind.NoOnnxModel, name,
                $"the repository has no ONNX graph (.onnx); its files are: {Describe(files)}.",
                $"AlignedGen runs models exported to ONNX with a KV cache. Export it (optimum-cli export onnx --model {reference.RepositoryId} "
                + "--task text-generation-with-past out/, or onnxruntime-genai's model builder) and load the folder, or use a repository that publishes an ONNX export.");
        }
        if (reference.Subfolder is { } asked)
        {
            if (variants.Contains(asked)) return asked;
            var inside = info.Files.Where(f => f.Path.StartsWith(asked + "/", StringComparison.Ordinal)).Select(f => f.Path).ToList();
            throw new HubException(HubErrorKind.NoOnnxModel, name,
                inside.Count == 0
                    ? $"the repository has no folder '{asked}'."
                    : $"the folder '{asked}' holds no ONNX graph (its files: {Describe(inside)}).",
                $"name a folder that holds a model: {DescribeVariants(reference, variants)}.");
        }
        if (variants.Contains("")) return "";
        if (variants.Count == 1) return variants[0];
        var forDevice = variants.Where(v => MatchesDevice(v, device)).ToList();
        if (forDevice.Count == 1) return forDevice[0];
        throw new HubException(HubErrorKind.VariantRequired, name,
            $"the repository holds {variants.Count} model variants"
            + (forDevice.Count > 1 ? $", {forDevice.Count} of them for {device}" : "") + ", and none was chosen.",
            $"add the variant to the reference: {DescribeVariants(reference, forDevice.Count > 1 ? forDevice : variants)}"
            + " (PowerShell: -Subfolder <variant>).");
    }

    private static bool MatchesDevice(string variant, ExecutionDevice device)
    {
        var lower = variant.ToLowerInvariant();
        return device switch
        {
            ExecutionDevice.Cuda => lower.Contains("cuda") || lower.Contains("gpu"),
            _ => lower.Contains("cpu"),
        };
    }

    private static string DescribeVariants(HubModelReference reference, IEnumerable<string> variants) =>
        string.Join(", ", variants.Select(v => v.Length == 0 ? reference.WithSubfolder(null).ToString() : reference.WithSubfolder(v).ToString()));

    private static string Describe(IReadOnlyList<string> files) =>
        files.Count == 0 ? "none" : string.Join(", ", files.Take(ListedFilesInErrors)) + (files.Count > ListedFilesInErrors ? $" and {files.Count - ListedFilesInErrors} more" : "");
}
