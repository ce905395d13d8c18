namespace AlignedGen.Decoding;

/// <summary>
/// LM work per request (prompt) of a batch: each model call counts once for every request with a row in it, and adds the
/// positions its rows fed. Costs measured this way belong to the row, whatever else shares its batch.
/// </summary>
internal sealed class RequestWork
{
    private long[] _calls = Array.Empty<long>();
    private long[] _tokens = Array.Empty<long>();

    /// <summary>Records one model call over <paramref name="rows"/>, each feeding <paramref name="positions"/> tokens.</summary>
    public void Count(IEnumerable<SequenceRow> rows, Func<SequenceRow, int> positions)
    {
        var counted = new HashSet<int>();
        foreach (var row in rows)
        {
            Grow(row.RequestIndex);
            _tokens[row.RequestIndex] += positions(row);
            if (counted.Add(row.RequestIndex)) _calls[row.RequestIndex]++;
        }
    }

    public (long Calls, long Tokens) Of(int request) => request < _calls.Length ? (_calls[request], _tokens[request]) : (0, 0);

    private void Grow(int request)
    {
        if (request < _calls.Length) return;
        var size = Math.Max(request + 1, _calls.Length * 2);
        Array.Resize(ref _calls, size);
        Array.Resize(ref _tokens, size);
    }
}
