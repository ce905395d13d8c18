using Xunit;

namespace AlignedGen.Tests.ScaleOut;

/// <summary>The test's model of the kubelet's $(VAR) expansion, on the cases its documentation gives.</summary>
public class KubernetesExpansionTests
{
    private static readonly Dictionary<string, string> Variables = new() { ["JOB_COMPLETION_INDEX"] = "3", ["N"] = "4" };

    [Theory]
    [InlineData("part-$(JOB_COMPLETION_INDEX).jsonl", "part-3.jsonl")]
    [InlineData("$(N)/$(N)", "4/4")]
    [InlineData("$(UNDEFINED)", "$(UNDEFINED)")]
    [InlineData("$$(N)", "$(N)")]
    [InlineData("$$i $i $", "$i $i $")]
    [InlineData("i=$$((i + 1))", "i=$((i + 1))")]
    [InlineData("$(N", "$(N")]
    public void References_expand_as_the_kubelet_expands_them(string input, string expected)
    {
        Assert.Equal(expected, KubernetesExpansion.Expand(input, Variables));
    }
}
