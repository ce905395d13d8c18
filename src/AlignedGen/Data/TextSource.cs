using System.Text;

namespace AlignedGen.Data;

/// <summary>
/// The bytes of a text file as UTF-8: a UTF-8 byte-order mark is skipped (offsets still count it); a UTF-16 file (with
/// its byte-order mark) is transcoded to UTF-8 and reports offsets in that transcoding. Readers parse bytes, so invalid
/// UTF-8 is found where it is, never replaced behind their back.
/// </summary>
internal static class TextSource
{
    /// <summary>The stream to parse and the number of bytes before the first one (a UTF-8 byte-order mark).</summary>
    internal static (Stream Stream, long StartOffset, bool Transcoded) Open(Stream stream, bool leaveOpen)
    {
        var head = new byte[3];
        var n = 0;
        if (stream.CanSeek)
        {
            while (n < 3)
            {
                var read = stream.Read(head, n, 3 - n);
                if (read == 0) break;
                n += read;
            }
            if (n == 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF) return (stream, 3, false);
            if (n >= 2 && (head[0], head[1]) is (0xFF, 0xFE) or (0xFE, 0xFF))
            {
                stream.Position = 2;
                var utf16 = new UnicodeEncoding(bigEndian: head[0] == 0xFE, byteOrderMark: false, throwOnInvalidBytes: true);
                return (Encoding.CreateTranscodingStream(stream, utf16, new UTF8Encoding(false), leaveOpen), 0, true);
            }
            stream.Position = 0;
        }
        return (stream, 0, false);
    }

    /// <summary>The 0-based index of the first invalid UTF-8 sequence in <paramref name="bytes"/>, or -1 when valid.</summary>
    internal static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes)) return -1;
        var i = 0;
        while (i < bytes.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(bytes[i..], out _, out var consumed);
            if (status != System.Buffers.OperationStatus.Done) return i;
            i += consumed;
        }
        return -1;
    }

    /// <summary>Describes an invalid byte for an error: its file offset, its value and where it sits in its line.</summary>
    internal static string InvalidUtf8Problem(long fileOffset, byte value, bool transcoded) =>
        $"invalid UTF-8 at byte offset {fileOffset}{(transcoded ? " of its UTF-8 transcoding" : "")} (byte 0x{value:X2}).";

    internal const string InvalidUtf8Fix =
        "re-save the file as UTF-8, set RecordReaderOptions.ReplaceInvalidUtf8 = true to read invalid bytes as U+FFFD, or skip bad records.";
}
