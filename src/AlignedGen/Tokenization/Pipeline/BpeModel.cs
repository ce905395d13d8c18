using System.Collections.Concurrent;
using System.Text;

namespace AlignedGen.Tokenization.Pipeline;

/// <summary>
/// Hugging Face's BPE model (vocab + ranked merges, byte fallback, unk fusing, continuing-subword prefix, end-of-word
/// suffix, ignore_merges). Implemented here rather than on Microsoft.ML.Tokenizers' BpeTokenizer because that class
/// has no byte_fallback (Llama-2 / Mistral / Phi-3 need it) and no per-piece entry point that skips its own
/// pre-tokenization and special-token handling. The merge loop reproduces HF's <c>Word::merge_all</c>: a priority queue
/// of (rank, position), lowest first, with stale entries skipped, so ties resolve exactly as in HF.
/// </summary>
internal sealed class BpeModel : ITokenModel
{
    private const int CacheCapacity = 10_000;
    private const int CacheMaxPieceLength = 256;

    private readonly Dictionary<string, int> vocab;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> vocabBySpan;
    private readonly string?[] idToToken;
    private readonly Dictionary<long, (int Rank, int NewId)> merges;
    private readonly int unkId = -1;
    private readonly bool fuseUnk;
    private readonly bool byteFallback;
    private readonly bool ignoreMerges;
    private readonly string? prefix;
    private readonly string? suffix;
    private readonly int[] byteIds = new int[256];
    private readonly ConcurrentDictionary<string, int[]> cache = new(StringComparer.Ordinal);

    public BpeModel(Dictionary<string, int> vocab, IReadOnlyList<(string Left, string Right)> mergeList, string? unkToken,
        bool fuseUnk, bool byteFallback, bool ignoreMerges, string? continuingSubwordPrefix, string? endOfWordSuffix)
    {
        this.vocab = vocab;
        vocabBySpan = vocab.GetAlternateLookup<ReadOnlySpan<char>>();
        var maxId = vocab.Count == 0 ? -1 : vocab.Values.Max();
        idToToken = new string?[maxId + 1];
        foreach (var (token, id) in vocab) idToToken[id] = token;
        UnknownToken = unkToken;
        if (unkToken is not null)
        {
            if (!vocab.TryGetValue(unkToken, out unkId))
                throw new FormatException($"the BPE unk_token '{unkToken}' is not in the vocabulary");
        }
        this.fuseUnk = fuseUnk;
        this.byteFallback = byteFallback;
        this.ignoreMerges = ignoreMerges;
        prefix = string.IsNullOrEmpty(continuingSubwordPrefix) ? null : continuingSubwordPrefix;
        suffix = string.IsNullOrEmpty(endOfWordSuffix) ? null : endOfWordSuffix;
        for (var b = 0; b < 256; b++) byteIds[b] = vocab.TryGetValue($"<0x{b:X2}>", out var id) ? id : -1;

        merges = new Dictionary<long, (int, int)>(mergeList.Count, PairComparer.Instance);
        var prefixLength = prefix?.Length ?? 0;
        for (var rank = 0; rank < mergeList.Count; rank++)
        {
            var (left, right) = mergeList[rank];
            if (!vocab.TryGetValue(left, out var a) || !vocab.TryGetValue(right, out var b))
                throw new FormatException($"merge {rank} ('{left}' '{right}') uses a token missing from the vocabulary");
            var merged = left + right[Math.Min(prefixLength, right.Length)..];
            if (!vocab.TryGetValue(merged, out var newId))
                throw new FormatException($"merge {rank} produces '{merged}', which is missing from the vocabulary");
            merges.TryAdd(Key(a, b), (rank, newId));
        }
    }

    public int VocabularySize => idToToken.Length;

    public string? UnknownToken { get; }

    public string? IdToToken(int id) => (uint)id < (uint)idToToken.Length ? idToToken[id] : null;

    public int? TokenToId(string token) => vocab.TryGetValue(token, out var id) ? id : null;

    private static long Key(int a, int b) => ((long)a << 32) | (uint)b;

    /// <summary>Min-heap of packed (rank, pos) priorities with packed (pos, newId) payloads.</summary>
    private struct MergeHeap(int capacity)
    {
        private long[] priorities = new long[Math.Max(4, capacity)];
        private long[] values = new long[Math.Max(4, capacity)];
        private int count;

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public void Push(long priority, long value)
        {
            if (count == priorities.Length)
            {
                Array.Resize(ref priorities, count * 2);
                Array.Resize(ref values, count * 2);
            }
            var i = count++;
            while (i > 0)
            {
                var parent = (i - 1) >> 1;
                if (priorities[parent] <= priority) break;
                priorities[i] = priorities[parent];
                values[i] = values[parent];
                i = parent;
            }
            priorities[i] = priority;
            values[i] = value;
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public bool TryPop(out long value)
        {
            if (count == 0) { value = 0; return false; }
            value = values[0];
            var lastPriority = priorities[--count];
            var lastValue = values[count];
            var i = 0;
            while (true)
            {
                var child = 2 * i + 1;
                if (child >= count) break;
                if (child + 1 < count && priorities[child + 1] < priorities[child]) child++;
                if (priorities[child] >= lastPriority) break;
                priorities[i] = priorities[child];
                values[i] = values[child];
                i = child;
            }
            priorities[i] = lastPriority;
            values[i] = lastValue;
            return true;
        }
    }

    /// <summary>
    /// Hashes a packed id pair with a multiplicative mix: long.GetHashCode (high ^ low) would give every pair of ids below
    /// 32768 a hash below 32768, so a Llama-size merge table collides heavily and encoding slows down tenfold.
    /// </summary>
    private sealed class PairComparer : IEqualityComparer<long>
    {
        public static readonly PairComparer Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long key) => (int)((ulong)(key * unchecked((long)0x9E3779B97F4A7C15)) >> 32);
    }

    public void Tokenize(string piece, List<int> ids)
    {
        if (piece.Length == 0) return;
        if (ignoreMerges && vocab.TryGetValue(piece, out var whole))
        {
            ids.Add(whole);
            return;
        }
        if (cache.TryGetValue(piece, out var cached))
        {
            ids.AddRange(cached);
            return;
        }
        var result = MergeWord(piece);
        if (piece.Length <= CacheMaxPieceLength && cache.Count < CacheCapacity) cache.TryAdd(piece, result);
        ids.AddRange(result);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private int[] MergeWord(string word)
    {
        var symbols = new List<int>(word.Length);
        var pendingUnk = false;
        for (var i = 0; i < word.Length;)
        {
            var len = char.IsHighSurrogate(word[i]) && i + 1 < word.Length && char.IsLowSurrogate(word[i + 1]) ? 2 : 1;
            var isFirst = i == 0;
            var isLast = i + len == word.Length;
            int id;
            bool found;
            string? composed = null;
            if ((prefix is null || isFirst) && (suffix is null || !isLast))
            {
                found = vocabBySpan.TryGetValue(word.AsSpan(i, len), out id);
            }
            else
            {
                composed = (isFirst ? "" : prefix) + word.Substring(i, len) + (isLast ? suffix : "");
                found = vocab.TryGetValue(composed, out id);
            }
            i += len;
            if (found)
            {
                if (pendingUnk) { symbols.Add(unkId); pendingUnk = false; }
                symbols.Add(id);
                continue;
            }
            // As in HF, byte-fallback tokens do not flush a pending unk first (it only matters when bytes are missing).
            if (byteFallback && TryAddBytes(composed ?? word.Substring(i - len, len), symbols)) continue;
            if (unkId < 0)
                throw new ArgumentException($"'{word.Substring(i - len, len)}' is not in the BPE vocabulary and the model has no unk_token.", nameof(word));
            if (pendingUnk && !fuseUnk) symbols.Add(unkId);
            pendingUnk = true;
        }
        if (pendingUnk) symbols.Add(unkId);
        return MergeAll(symbols);
    }

    private bool TryAddBytes(string s, List<int> symbols)
    {
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(s.Length)];
        var count = Encoding.UTF8.GetBytes(s, bytes);
        for (var k = 0; k < count; k++) if (byteIds[bytes[k]] < 0) return false;
        for (var k = 0; k < count; k++) symbols.Add(byteIds[bytes[k]]);
        return true;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private int[] MergeAll(List<int> symbols)
    {
        var n = symbols.Count;
        if (n <= 1) return symbols.ToArray();
        var c = symbols.ToArray();
        var prev = new int[n];
        var next = new int[n];
        var removed = new bool[n];
        for (var i = 0; i < n; i++) { prev[i] = i - 1; next[i] = i + 1 < n ? i + 1 : -1; }
        // A binary min-heap of (rank, pos) priorities with (pos, newId) payloads, both packed into longs. Hand-written
        // rather than PriorityQueue<,> so that this hot loop is fully optimized from the first call (AggressiveOptimization)
        // instead of running tier-0 generic code for the first prompts.
        var heap = new MergeHeap(n);
        for (var i = 0; i + 1 < n; i++)
            if (merges.TryGetValue(Key(c[i], c[i + 1]), out var m)) heap.Push(Key(m.Rank, i), Key(i, m.NewId));
        var remaining = n;
        while (heap.TryPop(out var top))
        {
            var pos = (int)(top >> 32);
            var newId = (int)(uint)top;
            if (removed[pos] || next[pos] < 0) continue;
            var right = next[pos];
            if (!merges.TryGetValue(Key(c[pos], c[right]), out var current) || current.NewId != newId) continue;
            c[pos] = newId;
            removed[right] = true;
            remaining--;
            next[pos] = next[right];
            if (next[right] >= 0) prev[next[right]] = pos;
            if (prev[pos] >= 0 && merges.TryGetValue(Key(c[prev[pos]], c[pos]), out var left))
                heap.Push(Key(left.Rank, prev[pos]), Key(prev[pos], left.NewId));
            if (next[pos] >= 0 && merges.TryGetValue(Key(c[pos], c[next[pos]]), out var after))
                heap.Push(Key(after.Rank, pos), Key(pos, after.NewId));
        }
        var result = new int[remaining];
        var k = 0;
        for (var i = 0; i < n; i++) if (!removed[i]) result[k++] = c[i];
        return result;
    }
}
