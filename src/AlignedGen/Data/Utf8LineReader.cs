namespace AlignedGen.Data;

/// <summary>
/// Splits a UTF-8 stream into lines at '\n' only (a '\r' is left in the line: JSON treats it as whitespace), giving each
/// line's bytes, its 1-based line number and the file offset of its first byte. Streams with a reused buffer.
/// </summary>
internal sealed class Utf8LineReader : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private byte[] _buffer = new byte[1 << 16];
    private int _start, _end;
    private long _bufferOffset;
    private bool _eof;

    internal Utf8LineReader(Stream stream, long startOffset, bool leaveOpen)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        _bufferOffset = startOffset;
    }

    /// <summary>1-based number of the line last returned.</summary>
    internal long LineNumber { get; private set; }

    /// <summary>File offset of the first byte of the line last returned.</summary>
    internal long LineOffset { get; private set; }

    /// <summary>The next line without its '\n' (valid until the next call); false at the end of the stream.</summary>
    internal bool TryRead(out ReadOnlySpan<byte> line)
    {
        var searched = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + searched, _end - _start - searched).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var length = searched + newline;
                line = Take(length, consumed: length + 1);
                return true;
            }
            searched = _end - _start;
            if (_eof)
            {
                if (_end == _start)
                {
                    line = default;
                    return false;
                }
                line = Take(_end - _start, consumed: _end - _start);
                return true;
            }
            Fill();
        }
    }

    private ReadOnlySpan<byte> Take(int length, int consumed)
    {
        LineNumber++;
        LineOffset = _bufferOffset + _start;
        var line = _buffer.AsSpan(_start, length);
        _start += consumed;
        return line;
    }

    /// <summary>Moves unread bytes to the front (growing the buffer for a line longer than it) and reads more.</summary>
    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0) _eof = true;
        _end += n;
    }

    public void Dispose()
    {
        if (!_leaveOpen) _stream.Dispose();
    }
}
