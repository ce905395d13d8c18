using System.Text;

namespace AlignedGen.Tests.ScaleOut;

/// <summary>
/// Kubernetes' expansion of <c>$(VAR)</c> references in a container's command and args, as the kubelet does it
/// (k8s.io/kubernetes third_party/forked/golang/expansion): <c>$(NAME)</c> becomes the variable's value when it is
/// defined and stays as written when not; <c>$$</c> becomes <c>$</c>; any other <c>$</c> stays. Written from that rule,
/// not from anything in AlignedGen, so the local runs of the manifests see what a pod would.
/// </summary>
internal static class KubernetesExpansion
{
    public static string Expand(string input, IReadOnlyDictionary<string, string> variables)
    {
        var text = new StringBuilder();
        for (var i = 0; i < input.Length; i++)
        {
            if (input[i] != '$' || i + 1 == input.Length)
            {
                text.Append(input[i]);
                continue;
            }
            var next = input[i + 1];
            if (next == '$')
            {
                text.Append('$');
                i++;
            }
            else if (next == '(' && input.IndexOf(')', i + 2) is var close and > 0)
            {
                var name = input[(i + 2)..close];
                text.Append(variables.TryGetValue(name, out var value) ? value : $"$({name})");
                i = close;
            }
            else
            {
                text.Append('$').Append(next);
                i++;
            }
        }
        return text.ToString();
    }
}
