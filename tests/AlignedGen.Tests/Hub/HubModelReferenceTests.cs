using AlignedGen.Hub;
using Xunit;

namespace AlignedGen.Tests.Hub;

/// <summary>The <c>hf:org/name[@revision][/subfolder]</c> syntax every surface shares.</summary>
public sealed class HubModelReferenceTests
{
    [Theory]
    [InlineData("hf:org/name", "org/name", null, null)]
    [InlineData("HF:org/name", "org/name", null, null)]
    [InlineData("hf:org/name@v1.0", "org/name", "v1.0", null)]
    [InlineData("hf:microsoft/Phi-3-mini-4k-instruct-onnx/cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4", "microsoft/Phi-3-mini-4k-instruct-onnx", null, "cpu_and_mobile/cpu-int4-rtn-block-32-acc-level-4")]
    [InlineData("hf:org/name@0123456789abcdef0123456789abcdef01234567/onnx", "org/name", "0123456789abcdef0123456789abcdef01234567", "onnx")]
    [InlineData("hf:org/name@refs%2Fpr%2F1", "org/name", "refs/pr/1", null)]
    [InlineData("hf:org/name/onnx/", "org/name", null, "onnx")]
    public void Parses_repository_revision_and_subfolder(string text, string repository, string? revision, string? subfolder)
    {
        var reference = HubModelReference.Parse(text);
        Assert.Equal(repository, reference.RepositoryId);
        Assert.Equal(revision, reference.Revision);
        Assert.Equal(subfolder, reference.Subfolder);
        Assert.Equal(revision ?? "main", reference.EffectiveRevision);
        Assert.Equal(reference, HubModelReference.Parse(reference.ToString())); // the canonical form round-trips
    }

    [Theory]
    [InlineData("hf:", "names no repository")]
    [InlineData("hf:gpt2", "names no repository")]
    [InlineData("hf:org/", "names no repository")]
    [InlineData("hf:org/name@", "empty revision")]
    [InlineData("hf:org--x/name", "not valid")]
    [InlineData("hf:org/na..me", "not valid")]
    [InlineData("hf:org/-name", "not valid")]
    [InlineData("hf:org/name/../x", "'.' or '..'")]
    [InlineData("models/x", "not a Hub reference")]
    public void Rejects_malformed_references_naming_the_problem(string text, string problem)
    {
        var error = Assert.Throws<ArgumentException>(() => HubModelReference.Parse(text));
        Assert.Contains(problem, error.Message);
        Assert.False(HubModelReference.TryParse(text, out _));
    }

    [Fact]
    public void TryParse_leaves_paths_alone()
    {
        Assert.False(HubModelReference.TryParse("/models/stories260K", out _));
        Assert.False(HubModelReference.TryParse(null, out _));
        Assert.True(HubModelReference.TryParse("hf:org/name", out var reference));
        Assert.Equal("hf:org/name", reference!.ToString());
    }

    [Fact]
    public void ParseLenient_takes_references_with_or_without_the_prefix()
    {
        Assert.Equal(HubModelReference.Parse("hf:org/name@v1/onnx"), HubModelReference.ParseLenient("org/name@v1/onnx"));
        Assert.Equal(HubModelReference.Parse("hf:org/name"), HubModelReference.ParseLenient("hf:org/name"));
        Assert.Throws<ArgumentException>(() => HubModelReference.ParseLenient("name-only"));
    }

    [Theory]
    [InlineData("microsoft/Phi-3-mini-4k-instruct-onnx", true)]
    [InlineData("org/name", true)]
    [InlineData("./models/x", false)]
    [InlineData("../shared/models", false)]
    [InlineData("/abs/path", false)]
    [InlineData("a/b/c", false)]
    [InlineData("folder", false)]
    [InlineData("C:\\models\\x", false)]
    public void Recognises_bare_repository_ids_for_hints(string text, bool looksLikeId) =>
        Assert.Equal(looksLikeId, HubModelReference.LooksLikeRepositoryId(text));

    [Fact]
    public void The_cache_names_repositories_and_rejects_paths_that_leave_a_snapshot()
    {
        var cache = new HubCache("/tmp/hf-cache");
        Assert.Equal("models--microsoft--Phi-3-mini-4k-instruct-onnx", HubCache.RepositoryFolderName("microsoft/Phi-3-mini-4k-instruct-onnx"));
        Assert.Equal("/tmp/hf-cache/models--org--name/snapshots/abc/onnx/model.onnx", cache.PointerPath("org/name", "abc", "onnx/model.onnx"));
        Assert.Throws<ArgumentException>(() => cache.PointerPath("org/name", "abc", "../../../etc/passwd"));
        Assert.Throws<ArgumentException>(() => cache.BlobPath("org/name", "../x"));
    }
}
