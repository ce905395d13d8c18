using System.Management.Automation;
using System.Text;
using AlignedGen.Data;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.PowerShell.Json;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// Export-JsonLines: writes each pipeline object as one line of compact JSON (UTF-8 without BOM, "\n" line ends) to a
/// file, replacing it or, with -Append, adding to it. A replaced file is written through the core's OutputFile: to
/// &lt;path&gt;.tmp, renamed into place when the pipeline ends, so a failed or stopped pipeline leaves the old file (or
/// none) and reading a file while writing it (Import-JsonLines a.jsonl | ... | Export-JsonLines a.jsonl) is safe.
/// </summary>
[Cmdlet(VerbsData.Export, "JsonLines", SupportsShouldProcess = true)]
public sealed class ExportJsonLinesCommand : AlignedGenCmdlet
{
    /// <summary>Default nesting depth written before values are cut to their ToString() text.</summary>
    public const int DefaultDepth = 16;

    private StreamWriter? _writer;
    private AtomicFile? _atomic;
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
            Stream stream;
            if (Append)
            {
                var needsNewline = EndsWithoutNewline(_file);
                stream = new FileStream(_file, FileMode.Append, FileAccess.Write, FileShare.Read);
                if (needsNewline) stream.WriteByte((byte)'\n');
            }
            else
            {
                _atomic = OutputFile.Create(_file);
                stream = _atomic.Stream;
            }
            _writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: _atomic is not null) { NewLine = "\n" };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DataFileException)
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
    protected override void EndProcessing()
    {
        CloseWriter();
        try
        {
            _atomic?.Commit();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowCoreError(ex, _file);
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        CloseWriter();
        _atomic?.Dispose(); // not committed: a failed or stopped pipeline leaves the old file as it was
        _atomic = null;
    }

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
