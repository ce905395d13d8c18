using System.Management.Automation;
using System.Text;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.PowerShell.Json;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// Export-JsonLines: writes each pipeline object as one line of compact JSON (UTF-8 without BOM, "\n" line ends) to a
/// file, replacing it or, with -Append, adding to it.
/// </summary>
[Cmdlet(VerbsData.Export, "JsonLines", SupportsShouldProcess = true)]
public sealed class ExportJsonLinesCommand : AlignedGenCmdlet
{
    /// <summary>Default nesting depth written before values are cut to their ToString() text.</summary>
    public const int DefaultDepth = 16;

    private StreamWriter? _writer;
    private PSObjectJsonWriter? _json;
    private string? _file;
    private bool _warnedTruncation;

    /// <summary>The file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("PSPath", "LiteralPath")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>The objects to write, one line each.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    /// <summary>Add lines to the end of an existing file instead of replacing it.</summary>
    [Parameter]
    public SwitchParameter Append { get; set; }

    /// <summary>How many levels of nested objects to write; deeper values become their ToString() text.</summary>
    [Parameter]
    [ValidateRange(1, 100)]
    public int Depth { get; set; } = DefaultDepth;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        _file = ResolveOutputPath(Path);
        if (Directory.Exists(_file))
            ThrowCoreError(new ArgumentException($"'{_file}' is a folder; give a file path for -Path.", nameof(Path)), _file);
        if (!ShouldProcess(_file, Append ? "Append JSON lines" : "Write JSON lines")) return;
        try
        {
            var needsNewline = Append && EndsWithoutNewline(_file);
            var stream = new FileStream(_file, Append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read);
            _writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n" };
            if (needsNewline) _writer.Write('\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowCoreError(ex, _file);
        }
        _json = new PSObjectJsonWriter(Depth);
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (_writer is null || _json is null) return;
        try
        {
            _writer.WriteLine(_json.ToJson(InputObject));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowCoreError(ex, _file);
        }
        if (_json.Truncated && !_warnedTruncation)
        {
            _warnedTruncation = true;
            WriteWarning($"Some objects are nested deeper than -Depth {Depth}; values below that level were written as their ToString() text.");
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing() => CloseWriter();

    /// <inheritdoc />
    protected override void Dispose(bool disposing) => CloseWriter();

    private void CloseWriter()
    {
        _writer?.Dispose();
        _writer = null;
    }

    private static bool EndsWithoutNewline(string file)
    {
        if (!File.Exists(file)) return false;
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (stream.Length == 0) return false;
        stream.Seek(-1, SeekOrigin.End);
        return stream.ReadByte() != '\n';
    }
}
