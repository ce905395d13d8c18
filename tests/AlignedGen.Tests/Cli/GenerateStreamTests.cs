using System.Text;
using AlignedGen.Cli;
using AlignedGen.Decoding;
using AlignedGen.ModelBuilding;
using AlignedGen.Models;
using Xunit;

namespace AlignedGen.Tests.Cli;

/// <summary>`aligngen generate --stream`: the responses' text on stdout as it is decoded, equal to the core's results.</summary>
public sealed class GenerateStreamTests
{
    private static readonly string Demo = DefaultModels.EnsureDemoModel();

    /// <summary>A stdout that records what was written between flushes (each flush is a piece the terminal shows).</summary>
    private sealed class FlushRecorder : StringWriter
    {
        private int _flushedTo;
        public List<string> Pieces { get; } = new();

        public override void Flush()
        {
            var all = GetStringBuilder();
            if (all.Length > _flushedTo) Pieces.Add(all.ToString(_flushedTo, all.Length - _flushedTo));
            _flushedTo = all.Length;
            base.Flush();
        }
    }

    [Fact]
    public void Stream_prints_each_response_as_it_is_decoded_then_a_newline()
    {
        var output = new FlushRecorder();
        var error = new StringWriter();
        var code = CliApp.Run(["generate", "--model", Demo, "--prompt", "The cat", "--prompt", "Once upon a time", "--strategy", "greedy", "--max-new-tokens", "16", "--stream", "--quiet"],
            new CliConsole(output, error), CancellationToken.None);

        Assert.True(code == 0, error.ToString());
        using var model = OnnxCausalLanguageModel.Load(Demo);
        var expected = new TextGenerator(model).Generate(GenerationRequest.FromPrompts(["The cat", "Once upon a time"]), SamplingStrategy.Greedy, new GenerationOptions(16, 2));
        Assert.Equal(string.Concat(expected.Select(r => r.Text + Environment.NewLine)), output.ToString());
        Assert.True(output.Pieces.Count > 16, $"expected the text in many flushed pieces, got {output.Pieces.Count}");
    }

    [Fact]
    public void Stream_refuses_an_output_file()
    {
        var run = Cli.Run("generate", "--model", Demo, "--prompt", "Hi", "--strategy", "greedy", "--stream", "--output", Path.Combine(Path.GetTempPath(), "never-" + Guid.NewGuid().ToString("N") + ".jsonl"));
        Assert.Equal(2, run.Code);
        Assert.Contains("--stream prints the responses' text on stdout", run.Error);
    }
}
