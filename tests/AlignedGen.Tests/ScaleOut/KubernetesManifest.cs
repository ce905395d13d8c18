using YamlDotNet.Serialization;

namespace AlignedGen.Tests.ScaleOut;

/// <summary>
/// One Job manifest of examples/deploy/kubernetes read with YamlDotNet into plain maps and lists, with the few paths
/// the tests read (spec, the pod's first container, its env, resources and volumes).
/// </summary>
internal sealed class KubernetesManifest
{
    public static string Folder => Path.Combine(SharedFolder.RepositoryRoot, "examples", "deploy", "kubernetes");

    private KubernetesManifest(string name, Dictionary<object, object> root)
    {
        Name = name;
        Root = root;
    }

    public string Name { get; }

    public Dictionary<object, object> Root { get; }

    public static KubernetesManifest Load(string fileName)
    {
        var text = File.ReadAllText(Path.Combine(Folder, fileName));
        var root = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(text)
            ?? throw new InvalidDataException($"{fileName} is empty");
        return new KubernetesManifest(fileName, root);
    }

    public string Kind => (string)Root["kind"];

    public Dictionary<object, object> Spec => Map(Root, "spec");

    public Dictionary<object, object> PodSpec => Map(Map(Spec, "template"), "spec");

    public Dictionary<object, object> Container => (Dictionary<object, object>)List(PodSpec, "containers").Single();

    public IReadOnlyList<string> Command => Strings(Container, "command");

    public IReadOnlyList<string> Args => Strings(Container, "args");

    public string Image => (string)Container["image"];

    /// <summary>The container's env as name → value (plain values only).</summary>
    public IReadOnlyDictionary<string, string> Env =>
        (Container.TryGetValue("env", out var env) ? (List<object>)env : new List<object>())
        .Cast<Dictionary<object, object>>().ToDictionary(e => (string)e["name"], e => (string)e["value"]);

    public string? Resource(string section, string name) =>
        Map(Container, "resources").TryGetValue(section, out var values) && ((Dictionary<object, object>)values).TryGetValue(name, out var v) ? (string)v : null;

    public int SpecNumber(string name) => int.Parse((string)Spec[name]);

    public string? SpecText(string name) => Spec.TryGetValue(name, out var v) ? (string)v : null;

    public IReadOnlyList<string> MountPaths => List(Container, "volumeMounts").Cast<Dictionary<object, object>>().Select(m => (string)m["mountPath"]).ToArray();

    private static Dictionary<object, object> Map(Dictionary<object, object> map, string key) => (Dictionary<object, object>)map[key];

    private static List<object> List(Dictionary<object, object> map, string key) => (List<object>)map[key];

    private static IReadOnlyList<string> Strings(Dictionary<object, object> map, string key) =>
        map.TryGetValue(key, out var v) ? ((List<object>)v).Cast<string>().ToArray() : Array.Empty<string>();
}
