using System.Management.Automation;
using System.Text.Json;
using AlignedGen.Data;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.PowerShell.Json;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// Import-JsonLines: reads JSON Lines files (one JSON value per line) and writes one object per line, through the core's
/// faithful line reader (only LF ends a line; invalid UTF-8 is an error, never silently replaced). A corrupt line —
/// invalid JSON or UTF-8, an escape that is not valid UTF-16, a repeated key — is a non-terminating
/// <see cref="AlignedGenErrorIds.CorruptJsonLine"/> error naming the file and line; reading goes on.
/// </summary>
[Cmdlet(VerbsData.Import, "JsonLines", DefaultParameterSetName = PathSet)]
[OutputType(typeof(PSObject))]
public sealed class ImportJsonLinesCommand : AlignedGenCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";

    /// <summary>Files to read; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Files to read, taken literally (no wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == LiteralPathSet;
        foreach (var typed in literal ? LiteralPath : Path)
        {
            foreach (var file in ResolveInputPaths(typed, literal))
            {
                if (Directory.Exists(file))
                {
                    WriteCoreError(new ArgumentException($"'{file}' is a folder; give a .jsonl file.", literal ? nameof(LiteralPath) : nameof(Path)), file);
                    continue;
                }
                try
                {
                    ReadFile(file);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    WriteCoreError(ex, file);
                }
            }
        }
    }

    private void ReadFile(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var reader = new JsonLineReader(stream, file, leaveOpen: true);
        var length = stream.Length;
        var progress = CreateProgress<long>("Import-JsonLines", read => new ProgressInfo($"Reading {file}", read, length));
        long count = 0;
        try
        {
            while (true)
            {
                string? line;
                try
                {
                    line = reader.ReadLine();
                }
                catch (CorruptRecordException ex)
                {
                    WriteCoreError(new CorruptJsonLineException(file, reader.LineNumber, ex.Problem, ex));
                    if (ex.CanContinue) continue;
                    break;
                }
                if (line is null) break;
                CancellationToken.ThrowIfCancellationRequested();
                if ((++count & 1023) == 1) progress.Report(stream.Position);
                object? value;
                try
                {
                    value = JsonToPSObject.Convert(line);
                }
                catch (JsonException ex)
                {
                    var column = ex.BytePositionInLine is { } position ? $" at byte {position + 1}" : string.Empty;
                    WriteCoreError(new CorruptJsonLineException(file, reader.LineNumber, $"Invalid JSON{column}: {WithoutPosition(ex.Message)}", ex));
                    continue;
                }
                catch (FormatException ex)
                {
                    WriteCoreError(new CorruptJsonLineException(file, reader.LineNumber, ex.Message, ex));
                    continue;
                }
                catch (InvalidOperationException ex)
                {
                    WriteCoreError(new CorruptJsonLineException(file, reader.LineNumber,
                        "a string holds an escape that is not valid UTF-16 (a lone surrogate such as \\ud800).", ex));
                    continue;
                }
                WriteObject(value);
            }
        }
        finally
        {
            if (!Stopping) progress.Complete();
        }
    }

    private static string WithoutPosition(string message)
    {
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            var end = message.IndexOf(marker, StringComparison.Ordinal);
            if (end > 0) message = message[..end];
        }
        return message.TrimEnd();
    }
}
