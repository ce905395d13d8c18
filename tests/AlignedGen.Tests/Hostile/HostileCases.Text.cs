using System.Text;
using AlignedGen.Data;
using Xunit;
using static AlignedGen.Tests.Hostile.HostileContext;

namespace AlignedGen.Tests.Hostile;

/// <summary>Malformed JSONL and CSV, and text encodings.</summary>
public static partial class HostileCases
{
    private const string CorruptOutcome = "CorruptRecordException with file and line; skip mode skips it";

    /// <summary>A JSONL file: good row 0, the bad line, good row 2. Strict: the error names line 2; skip mode: rows 0 and 2 are scored.</summary>
    private static Action<HostileContext> BadJsonlLine(byte[] bad, params string[] fragments) => c =>
    {
        var input = c.WriteBytes("in.jsonl", Encoding.UTF8.GetBytes(Row(0) + "\n").Concat(bad).Concat(Encoding.UTF8.GetBytes("\n" + Row(2) + "\n")).ToArray());
        var ex = Fails<CorruptRecordException>(() => c.Relabel(input), fragments.Append(input).Append("line 2").ToArray());
        Assert.True(ex.CanContinue);
        var summary = c.Relabel(input, "skip.jsonl", o => o with { SkipBadRecords = true });
        Assert.Equal((2L, 1L), (summary.RowsScored, summary.SkippedCount));
        Assert.Equal(new[] { "r0", "r2" }, c.ReadAll(c.File("skip.jsonl")).Select(r => r.GetText("id")));
    };

    private static Action<HostileContext> BadJsonlLine(string bad, params string[] fragments) => BadJsonlLine(Encoding.UTF8.GetBytes(bad), fragments);

    private static IEnumerable<HostileCase> Text() => new HostileCase[]
    {
        new("jsonl-invalid-json", "JSONL", "a line that is not JSON (`{\"id\":1,`)", CorruptOutcome, BadJsonlLine("{\"id\":\"r1\",", "not valid JSON")),
        new("jsonl-not-an-object", "JSONL", "a line holding an array", CorruptOutcome, BadJsonlLine("[1,2]", "array, not an object")),
        new("jsonl-trailing-text", "JSONL", "text after the object (`{...} x`)", CorruptOutcome, BadJsonlLine(Row(1) + " x", "not valid JSON")),
        new("jsonl-lone-surrogate", "JSONL", "a string escape `\\ud800` (lone surrogate)", CorruptOutcome, BadJsonlLine("{\"id\":\"r1\",\"prompt\":\"\\ud800\",\"response\":\"x\"}", "lone surrogate")),
        new("jsonl-reversed-surrogates", "JSONL", "escapes `\\udc00\\ud800` (surrogates in the wrong order)", CorruptOutcome,
            BadJsonlLine("{\"id\":\"r1\",\"prompt\":\"\\udc00\\ud800\",\"response\":\"x\"}", "lone surrogate")),
        new("jsonl-surrogate-key", "JSONL", "a key with a lone surrogate escape", CorruptOutcome, BadJsonlLine("{\"\\ud800\":1}", "a key")),
        new("jsonl-duplicate-key", "JSONL", "a key given twice", CorruptOutcome, BadJsonlLine("{\"id\":\"r1\",\"id\":\"r9\"}", "key 'id' appears twice")),
        new("jsonl-duplicate-key-escaped", "JSONL", "a key given twice, once escaped (`\"a\"`, `\"\\u0061\"`)", CorruptOutcome,
            BadJsonlLine("{\"a\":1,\"\\u0061\":2}", "key 'a' appears twice")),
        new("jsonl-invalid-utf8", "JSONL", "invalid UTF-8 bytes (0xC3 0x28)", CorruptOutcome + "; the message gives the byte offset",
            BadJsonlLine(new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}' }, "invalid UTF-8 at byte offset", "0xC3")),
        new("jsonl-overlong-utf8", "JSONL", "an overlong UTF-8 encoding of '/' (0xC0 0xAF)", CorruptOutcome,
            BadJsonlLine(new byte[] { (byte)'{', (byte)'"', (byte)'a', (byte)'"', (byte)':', (byte)'"', 0xC0, 0xAF, (byte)'"', (byte)'}' }, "invalid UTF-8")),
        new("jsonl-nul-byte", "JSONL", "a raw NUL byte inside a string", CorruptOutcome, BadJsonlLine("{\"a\":\"x\0y\"}", "not valid JSON")),
        new("jsonl-too-deep", "JSONL", "a value nested 100 levels deep", CorruptOutcome,
            BadJsonlLine("{\"a\":" + new string('[', 100) + new string(']', 100) + "}", "not valid JSON")),
        new("jsonl-invalid-utf8-replaced", "JSONL", "invalid UTF-8 with `ReplaceInvalidUtf8 = true`", "read, each invalid sequence as U+FFFD", c =>
        {
            var input = c.WriteBytes("in.jsonl", Encoding.UTF8.GetBytes("{\"id\":\"r0\",\"prompt\":\"a").Concat(new byte[] { 0xFF }).Concat(Encoding.UTF8.GetBytes("b\",\"response\":\"x\"}\n")).ToArray());
            c.Relabel(input, configure: o => o with { ReaderOptions = new RecordReaderOptions { ReplaceInvalidUtf8 = true } });
            Assert.Equal("a\uFFFDb", c.ReadAll(c.File("out.jsonl"))[0]["prompt"]);
        }),
        new("jsonl-raw-cr", "JSONL", "a raw CR between tokens inside a line", "read (CR is JSON whitespace; only LF ends a line)", c =>
        {
            c.Relabel(c.Write("in.jsonl", "{\"id\":\"r0\",\r\"prompt\":\"p\",\"response\":\"x\"}\n"));
            Assert.Equal("p", c.ReadAll(c.File("out.jsonl"))[0]["prompt"]);
        }),
        new("jsonl-crlf-and-blank-lines", "JSONL", "CRLF line ends, blank and whitespace-only lines", "read; blank lines ignored, line numbers count them", c =>
        {
            var input = c.Write("in.jsonl", Row(0) + "\r\n\r\n   \t\r\n" + Row(1) + "\r\n{\"id\":");
            Assert.Equal(5, Fails<CorruptRecordException>(() => c.Relabel(input)).LineNumber);
        }),
        new("jsonl-truncated-last-line", "JSONL", "a last line cut mid-object (no newline)", CorruptOutcome, c =>
        {
            var input = c.Write("in.jsonl", Row(0) + "\n" + Row(1)[..12]);
            Assert.Equal(2, Fails<CorruptRecordException>(() => c.Relabel(input), "not valid JSON").LineNumber);
            Assert.Equal(1, c.Relabel(input, "skip.jsonl", o => o with { SkipBadRecords = true }).RowsScored);
        }),
        new("jsonl-utf8-bom", "encodings", "a UTF-8 byte-order mark", "read; the first key is `id`, not `\\uFEFFid`", c =>
        {
            c.Relabel(c.WriteBytes("in.jsonl", new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(Row(0) + "\n")).ToArray()));
            Assert.Equal("id", c.ReadAll(c.File("out.jsonl"))[0].ColumnNames[0]);
        }),
        new("jsonl-utf16le", "encodings", "UTF-16 LE with a byte-order mark (Windows PowerShell's default)", "read (transcoded to UTF-8)", c =>
        {
            c.Relabel(c.WriteBytes("in.jsonl", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(Row(0) + "\r\n" + Row(1).Replace("p1", "p1 é✓") + "\r\n")).ToArray()));
            Assert.Equal("p1 é✓", c.ReadAll(c.File("out.jsonl"))[1]["prompt"]);
        }),
        new("jsonl-utf16be", "encodings", "UTF-16 BE with a byte-order mark", "read (transcoded to UTF-8)", c =>
        {
            c.Relabel(c.WriteBytes("in.jsonl", Encoding.BigEndianUnicode.GetPreamble().Concat(Encoding.BigEndianUnicode.GetBytes(Row(0) + "\n")).ToArray()));
            Assert.Equal("r0", c.ReadAll(c.File("out.jsonl"))[0]["id"]);
        }),
        new("jsonl-escapes-pass-through", "encodings", "escaped text, emoji, `\\u0000` and `1.50` in pass-through columns",
            "written back byte for byte (JSONL to JSONL)", c =>
        {
            const string extra = ",\"note\":\"caf\\u00e9 \\ud83d\\ude00 \\u0000 \\/\",\"x\":1.50,\"big\":12345678901234567890,\"o\":{\"k\": [1, 2.0]}";
            var line = Row(0)[..^1] + extra + "}";
            c.Relabel(c.Write("in.jsonl", line + "\n"));
            Assert.StartsWith(line[..^1] + ",\"reward\":", System.IO.File.ReadAllText(c.File("out.jsonl")));
        }),
        new("jsonl-huge-numbers", "JSONL", "integers beyond 64 bits and `1e400` in pass-through columns", "kept as written in JSONL, CSV and Parquet outputs", c =>
        {
            var input = c.Write("in.jsonl", Row(0)[..^1] + ",\"big\":-98765432109876543210,\"inf\":1e400}\n");
            c.Relabel(input, "out.csv");
            c.Relabel(input, "out.parquet");
            Assert.Contains(",-98765432109876543210,1e400,", System.IO.File.ReadAllText(c.File("out.csv")));
            var row = c.ReadAll(c.File("out.parquet"))[0];
            Assert.Equal(("-98765432109876543210", "1e400"), (row.GetText("big"), row.GetText("inf")));
        }),
        new("jsonl-long-line", "JSONL", "one 5 MB line", "read (the line buffer grows)", c =>
        {
            c.Relabel(c.Write("in.jsonl", "{\"id\":\"r0\",\"prompt\":\"p\",\"response\":\"" + new string('x', 5_000_000) + "\"}\n"));
            Assert.Equal(5_000_000.0, c.ReadAll(c.File("out.jsonl"))[0].GetNumber("reward"));
        }),
        new("jsonl-empty-file", "JSONL", "an empty file", "a complete, empty output and a manifest with 0 rows", c =>
        {
            Assert.Equal(0, c.Relabel(c.Write("in.jsonl", "")).RowsScored);
            Assert.Equal(0, new FileInfo(c.File("out.jsonl")).Length);
        }),
        new("jsonl-prompt-not-text", "JSONL", "a prompt that is a number (strict mode)", "DataFileException naming the column and line; lenient mode scores its text", c =>
        {
            var input = c.Write("in.jsonl", "{\"id\":\"r0\",\"prompt\":42,\"response\":\"x\"}\n");
            Fails<DataFileException>(() => c.Relabel(input), "column 'prompt' holds integer", "line 1");
            var reward = new Relabeling.FakeRewardSource();
            c.Relabel(input, "lenient.jsonl", o => o with { Strict = false }, reward);
            Assert.Equal("42", reward.Seen[0].Prompt);
        }),
        new("jsonl-missing-column", "JSONL", "a row without the response column", "MissingColumnsException naming the line, the missing and the found columns", c =>
            Fails<MissingColumnsException>(() => c.Relabel(c.Write("in.jsonl", Row(0) + "\n{\"id\":\"r1\",\"prompt\":\"p\"}\n")), "line 2", "response")),
        new("jsonl-null-id", "JSONL", "a row whose id is null (strict mode)", "DataFileException: the id column is null", c =>
            Fails<DataFileException>(() => c.Relabel(c.Write("in.jsonl", "{\"id\":null,\"prompt\":\"p\",\"response\":\"x\"}\n")), "id column 'id' is null")),
        new("csv-unclosed-quote", "CSV", "a quoted field never closed", "CorruptRecordException at the line where the quote opened; reading cannot continue (skip mode: it is the last record)", c =>
        {
            var input = c.Write("in.csv", "id,prompt,response\r\nr0,p,x\r\nr1,\"p\r\nr2,p,x\r\n");
            var ex = Fails<CorruptRecordException>(() => c.Relabel(input), "not closed", "line 3");
            Assert.False(ex.CanContinue);
            Assert.Equal(1, c.Relabel(input, "skip.jsonl", o => o with { SkipBadRecords = true }).RowsScored);
        }),
        new("csv-text-after-quote", "CSV", "text after a closing quote (`\"a\"b`)", CorruptOutcome, c =>
        {
            var input = c.Write("in.csv", "id,prompt,response\r\nr0,\"a\"b,x\r\nr1,p,x\r\n");
            Fails<CorruptRecordException>(() => c.Relabel(input), "after a closing quote", "line 2");
            Assert.Equal(1, c.Relabel(input, "skip.jsonl", o => o with { SkipBadRecords = true }).RowsScored);
        }),
        new("csv-field-count", "CSV", "a record with more fields than the header", CorruptOutcome, c =>
        {
            var input = c.Write("in.csv", "id,prompt,response\r\nr0,p,x,extra\r\nr1,p,x\r\n");
            Fails<CorruptRecordException>(() => c.Relabel(input), "4 field(s) but the header has 3");
            Assert.Equal(1, c.Relabel(input, "skip.jsonl", o => o with { SkipBadRecords = true }).RowsScored);
        }),
        new("csv-invalid-utf8", "CSV", "invalid UTF-8 inside a multi-line quoted cell", CorruptOutcome + "; the message gives the byte offset and the line of the bad byte", c =>
        {
            var head = Encoding.UTF8.GetBytes("id,prompt,response\r\nr0,\"line one\r\nline two ");
            var input = c.WriteBytes("in.csv", head.Concat(new byte[] { 0xFE }).Concat(Encoding.UTF8.GetBytes("\",x\r\nr1,p,x\r\n")).ToArray());
            var ex = Fails<CorruptRecordException>(() => c.Relabel(input), $"byte offset {head.Length}", "line 3");
            Assert.Equal(1, c.Relabel(input, "skip.jsonl", o => o with { SkipBadRecords = true }).RowsScored);
        }),
        new("csv-empty-file", "CSV", "an empty file", "DataFileException: a header row is required (before any output)", c =>
        {
            Fails<DataFileException>(() => c.Relabel(c.Write("in.csv", "")), "header row is required");
            Assert.False(System.IO.File.Exists(c.File("out.jsonl")));
        }),
        new("csv-duplicate-header", "CSV", "a header naming a column twice", "DataFileException naming the column", c =>
            Fails<DataFileException>(() => c.Relabel(c.Write("in.csv", "id,prompt,prompt,response\r\n")), "'prompt' twice")),
        new("csv-blank-header-name", "CSV", "a header with an empty column name", "DataFileException naming its position", c =>
            Fails<DataFileException>(() => c.Relabel(c.Write("in.csv", "id,,prompt,response\r\n")), "header column 2 has no name")),
        new("csv-missing-columns", "CSV", "a header without the mapped columns", "MissingColumnsException before anything is written", c =>
        {
            Fails<MissingColumnsException>(() => c.Relabel(c.Write("in.csv", "id,question,answer\r\n1,q,a\r\n")), "prompt", "response");
            Assert.False(System.IO.File.Exists(c.File("out.jsonl")) || System.IO.File.Exists(c.File("out.jsonl.checkpoint.jsonl")));
        }),
        new("csv-bom-cr-multiline", "CSV", "a BOM, lone-CR line ends and quoted cells spanning lines", "read; cells keep their line breaks", c =>
        {
            c.Relabel(c.WriteBytes("in.csv", new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("id,prompt,response\rr0,\"two\r\nlines\",x\r")).ToArray()));
            Assert.Equal("two\r\nlines", c.ReadAll(c.File("out.jsonl"))[0]["prompt"]);
        }),
        new("csv-bare-quote", "CSV", "a quote inside an unquoted cell (`a\"b`)", "read as is", c =>
        {
            c.Relabel(c.Write("in.csv", "id,prompt,response\r\nr0,a\"b,x\r\n"));
            Assert.Equal("a\"b", c.ReadAll(c.File("out.jsonl"))[0]["prompt"]);
        }),
    };
}
