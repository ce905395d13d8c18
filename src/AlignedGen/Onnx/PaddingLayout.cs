namespace AlignedGen.Onnx;

/// <summary>
/// Where each row's tokens sit among a batch's cache columns, and the attention mask that says so. Standard-attention
/// graphs are left-padded: every row's newest token is in the last column, shorter chunks are padded in front (gaps
/// this leaves inside a row stay masked). GroupQueryAttention graphs are right-padded: a row's tokens fill columns
/// 0 … length − 1 (the op reads a row's cache length from its mask) and padding follows. Position ids count a row's
/// real tokens only. The layout decides which columns move where; <see cref="KeyValueCache"/> moves them.
/// </summary>
internal sealed class PaddingLayout
{
    private long[] _mask = new long[64];   // [rows, _stride]: 1 = real token, 0 = padding
    private int _stride;
    private int[] _lengths = Array.Empty<int>();   // real tokens per row

    public PaddingLayout(bool rightPadded) => RightPadded = rightPadded;

    /// <summary>True for GroupQueryAttention graphs (right padding), false for standard attention (left padding).</summary>
    public bool RightPadded { get; }

    public int Rows { get; private set; }

    /// <summary>Cache columns in use (positions, padding included), shared by all rows.</summary>
    public int Columns { get; private set; }

    /// <summary>Real tokens of <paramref name="row"/>.</summary>
    public int Length(int row) => _lengths[row];

    /// <summary>The column holding <paramref name="row"/>'s newest token.</summary>
    public int LastColumn(int row) => RightPadded ? _lengths[row] - 1 : Columns - 1;

    /// <summary>Starts over with <paramref name="rows"/> empty rows (a prefill follows).</summary>
    public void Start(int rows)
    {
        Rows = rows;
        _lengths = new int[rows];
        Columns = 0;
        Array.Clear(_mask);
    }

    /// <summary>Lays out one token per row: writes <paramref name="ids"/> and <paramref name="positions"/> [rows] and marks the new column.</summary>
    public void Step(ReadOnlySpan<int> tokens, Span<long> ids, Span<long> positions)
    {
        EnsureCapacity(Rows, Columns + 1);
        for (int r = 0; r < Rows; r++)
        {
            ids[r] = tokens[r];
            positions[r] = _lengths[r];
            _mask[r * _stride + (RightPadded ? _lengths[r] : Columns)] = 1;
            _lengths[r]++;
        }
    }

    /// <summary>
    /// Lays out a chunk of up to <paramref name="chunk"/> tokens per row: writes <paramref name="ids"/> and
    /// <paramref name="positions"/> [rows, chunk] (padding gets <paramref name="padTokenId"/>) and marks the real tokens.
    /// Returns each row's last real index within the chunk for right padding; null for left padding (always the last).
    /// </summary>
    public int[]? Chunk(IReadOnlyList<IReadOnlyList<int>> tokensPerRow, int chunk, int padTokenId, Span<long> ids, Span<long> positions)
    {
        if (RightPadded && Columns > 0 && tokensPerRow.Any(t => t.Count != chunk))
            throw new NotSupportedException(
                "This model uses GroupQueryAttention, which cannot take chunks of different lengths after the prefill. Extend every row by the same number of tokens, or re-prefill.");
        EnsureCapacity(Rows, Columns + chunk);
        var last = RightPadded ? new int[Rows] : null;
        for (int r = 0; r < Rows; r++)
        {
            var t = tokensPerRow[r];
            int pad = chunk - t.Count;
            int pos = _lengths[r];
            if (RightPadded)
            {
                // Real tokens first, padding after; the mask's ones stay contiguous from column 0.
                for (int j = 0; j < chunk; j++)
                {
                    bool isPad = j >= t.Count;
                    ids[r * chunk + j] = isPad ? padTokenId : t[j];
                    positions[r * chunk + j] = isPad ? 0 : pos + j;
                }
                for (int j = 0; j < t.Count; j++) _mask[r * _stride + pos + j] = 1;
                last![r] = t.Count - 1;
                pos += t.Count;
            }
            else
            {
                for (int j = 0; j < chunk; j++)
                {
                    bool isPad = j < pad;
                    ids[r * chunk + j] = isPad ? padTokenId : t[j - pad];
                    positions[r * chunk + j] = isPad ? Math.Max(0, pos - 1) : pos++;
                    _mask[r * _stride + Columns + j] = isPad ? 0 : 1;
                }
            }
            _lengths[r] = pos;
        }
        return last;
    }

    /// <summary>Writes the attention mask [rows, <paramref name="columns"/>] (the columns in use plus the chunk being fed).</summary>
    public void CopyMask(Span<long> destination, int columns)
    {
        for (int r = 0; r < Rows; r++)
            _mask.AsSpan(r * _stride, columns).CopyTo(destination.Slice(r * columns, columns));
    }

    /// <summary>Counts the columns of a chunk the model has now taken.</summary>
    public void Commit(int chunk) => Columns += chunk;

    /// <summary>
    /// Rows become copies of <paramref name="sourceRows"/>. Columns that are padding in every kept row are dropped:
    /// leading ones (left padding) or trailing ones (right padding). Returns the columns every kept row keeps.
    /// </summary>
    public ColumnMove Select(ReadOnlySpan<int> sourceRows)
    {
        int newRows = sourceRows.Length;
        if (newRows == 0)
        {
            Rows = 0;
            Columns = 0;
            _lengths = Array.Empty<int>();
            return default;
        }
        int trim = RightPadded ? 0 : Columns;
        int newColumns;
        if (RightPadded)
        {
            newColumns = 0;
            foreach (var s in sourceRows) newColumns = Math.Max(newColumns, _lengths[s]);
        }
        else
        {
            foreach (var s in sourceRows)
            {
                trim = Math.Min(trim, LeadingPadding(s));
                if (trim == 0) break;
            }
            newColumns = Columns - trim;
        }
        var newMask = new long[Math.Max(64, newRows * Math.Max(_stride, 1))];
        var newLengths = new int[newRows];
        for (int i = 0; i < newRows; i++)
        {
            int s = sourceRows[i];
            Array.Copy(_mask, s * _stride + trim, newMask, i * _stride, newColumns);
            newLengths[i] = _lengths[s];
        }
        _mask = newMask;
        _lengths = newLengths;
        Rows = newRows;
        Columns = newColumns;
        return new ColumnMove(trim, newColumns, 0);
    }

    /// <summary>
    /// Takes in the rows of <paramref name="refilled"/> (a fresh prefill): row r becomes row <c>slot[r]</c> of it when
    /// that is not negative. Rows stay aligned the way this layout pads: real tokens at the right end for left padding,
    /// at the left end for right padding. Writes where each row's columns go into <paramref name="moves"/> (from its
    /// own batch: this one or <paramref name="refilled"/>).
    /// </summary>
    public void Merge(PaddingLayout refilled, ReadOnlySpan<int> slot, Span<ColumnMove> moves)
    {
        int newColumns = Math.Max(Columns, refilled.Columns);
        int stride = Math.Max(16, Math.Max(_stride, newColumns));
        var newMask = new long[Math.Max(64, Rows * stride)];
        for (int r = 0; r < Rows; r++)
        {
            int i = slot[r];
            var (mask, from, count) = i < 0 ? (_mask, r * _stride, Columns) : (refilled._mask, i * refilled._stride, refilled.Columns);
            int offset = RightPadded ? 0 : newColumns - count;
            moves[r] = new ColumnMove(0, count, offset);
            Array.Copy(mask, from, newMask, r * stride + offset, count);
            if (i >= 0) _lengths[r] = refilled._lengths[i];
        }
        _mask = newMask;
        _stride = stride;
        Columns = newColumns;
    }

    /// <summary>
    /// Cuts row <c>rows[i]</c> back to its first <c>lengths[i]</c> tokens, as if the rest had never been fed. Right
    /// padding only unmasks the dropped columns (the next token is written after the kept ones). Left padding moves
    /// the kept columns right so the newest token is in the last column again; padding every row then has in front is
    /// dropped. Returns, per row, the columns the cache keeps and where they go, or null when no column moves.
    /// </summary>
    public ColumnMove[]? Truncate(ReadOnlySpan<int> rows, ReadOnlySpan<int> lengths)
    {
        var shift = new int[Rows];
        bool moved = false;
        for (int i = 0; i < rows.Length; i++)
        {
            int r = rows[i], keep = lengths[i];
            if (keep == _lengths[r]) continue;
            var row = _mask.AsSpan(r * _stride, Columns);
            if (RightPadded)
            {
                row[keep.._lengths[r]].Clear();
            }
            else
            {
                int seen = 0, column = -1;
                while (seen < keep) seen += (int)row[++column];
                shift[r] = Columns - 1 - column;
                row[..(column + 1)].CopyTo(row[shift[r]..]);
                row[..shift[r]].Clear();
                moved = true;
            }
            _lengths[r] = keep;
        }
        if (RightPadded)
        {
            // Trailing columns no row uses any more are dropped.
            int used = 0;
            for (int r = 0; r < Rows; r++) used = Math.Max(used, _lengths[r]);
            if (used == Columns) return null;
            Columns = used;
            return Enumerable.Repeat(new ColumnMove(0, used, 0), Rows).ToArray();
        }
        if (!moved) return null;
        int trim = Columns;
        for (int r = 0; r < Rows && trim > 0; r++) trim = Math.Min(trim, LeadingPadding(r));
        var moves = new ColumnMove[Rows];
        for (int r = 0; r < Rows; r++)
        {
            int start = Math.Max(0, trim - shift[r]);
            moves[r] = new ColumnMove(start, Columns - shift[r] - start, Math.Max(0, shift[r] - trim));
            if (trim == 0) continue;
            Array.Copy(_mask, r * _stride + trim, _mask, r * _stride, Columns - trim);
            Array.Clear(_mask, r * _stride + Columns - trim, trim);
        }
        Columns -= trim;
        return moves;
    }

    private int LeadingPadding(int row)
    {
        int lead = 0;
        while (lead < Columns && _mask[row * _stride + lead] == 0) lead++;
        return lead;
    }

    private void EnsureCapacity(int rows, int columns)
    {
        if (columns <= _stride && rows * _stride <= _mask.Length) return;
        int stride = Math.Max(columns, Math.Max(16, _stride * 2));
        var bigger = new long[rows * stride];
        for (int r = 0; r < Math.Min(rows, Rows); r++)
            Array.Copy(_mask, r * _stride, bigger, r * stride, Columns);
        _mask = bigger;
        _stride = stride;
    }
}
