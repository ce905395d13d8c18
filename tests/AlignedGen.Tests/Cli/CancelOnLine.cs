namespace AlignedGen.Tests.Cli;

/// <summary>A stderr writer that "presses Ctrl+C" (cancels) when a line starting with <c>prefix</c> is written, e.g. the first progress line.</summary>
internal sealed class CancelOnLine(CancellationTokenSource cancellation, string prefix) : StringWriter
{
    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        if (value is not null && value.StartsWith(prefix, StringComparison.Ordinal)) cancellation.Cancel();
    }
}
