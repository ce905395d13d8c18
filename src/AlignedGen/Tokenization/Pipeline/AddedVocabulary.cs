namespace AlignedGen.Tokenization.Pipeline;

/// <summary>An entry of tokenizer.json's <c>added_tokens</c>.</summary>
internal sealed record AddedToken(int Id, string Content, bool Special, bool SingleWord = false, bool LStrip = false,
    bool RStrip = false, bool Normalized = false);

/// <summary>A segment of input text: either an added token (Id set) or text for the model (Id null).</summary>
internal readonly record struct TextSegment(string Text, int? Id, bool AtStart);

/// <summary>
/// Hugging Face's AddedVocabulary: added tokens are split out of the text before the model runs. Tokens with
/// <c>normalized: false</c> are matched on the raw text, the others on the normalized remainder; matching is
/// leftmost-longest (as HF's Aho-Corasick with MatchKind::LeftmostLongest), then single_word / lstrip / rstrip apply.
/// </summary>
internal sealed class AddedVocabulary
{
    private readonly Dictionary<int, AddedToken> byId = new();
    private readonly Dictionary<string, AddedToken> byContent = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> tokenStrings = new();
    private readonly Matcher raw;
    private readonly Matcher normalized;

    public AddedVocabulary(IEnumerable<AddedToken> tokens, ITextNormalizer? normalizer)
    {
        foreach (var t in tokens)
        {
            byId[t.Id] = t;
            byContent.TryAdd(t.Content, t);
        }
        foreach (var t in byId.Values)
            tokenStrings[t.Id] = t.Normalized && normalizer is not null ? normalizer.Normalize(t.Content) : t.Content;
        raw = new Matcher(byId.Values.Where(t => !t.Normalized).Select(t => (t.Content, t)));
        normalized = new Matcher(byId.Values.Where(t => t.Normalized).Select(t => (tokenStrings[t.Id], t)));
    }

    /// <summary>The token string HF reports and decodes for an added token: its content, normalized when the token is.</summary>
    public string TokenString(AddedToken token) => tokenStrings[token.Id];

    public int Count => byId.Count;

    public int MaxId => byId.Count == 0 ? -1 : byId.Keys.Max();

    public IEnumerable<AddedToken> Tokens => byId.Values;

    public AddedToken? ById(int id) => byId.GetValueOrDefault(id);

    public AddedToken? ByContent(string content) => byContent.GetValueOrDefault(content);

    public bool HasNormalizedTokens => !normalized.IsEmpty;

    /// <summary>Splits raw text on the non-normalized added tokens.</summary>
    public void SplitRaw(string text, List<TextSegment> output) => raw.Split(text, atStart: true, output);

    /// <summary>Splits normalized text on the normalized added tokens.</summary>
    public void SplitNormalized(string text, bool atStart, List<TextSegment> output) => normalized.Split(text, atStart, output);

    private sealed class Matcher
    {
        /// <summary>A char trie over the patterns; a node's Token is set where a pattern ends.</summary>
        private sealed class Node
        {
            public Dictionary<char, Node>? Children;
            public AddedToken? Token;
        }

        private readonly Node root = new();
        private readonly int count;

        public Matcher(IEnumerable<(string Pattern, AddedToken Token)> patterns)
        {
            foreach (var (pattern, token) in patterns)
            {
                if (pattern.Length == 0) continue;
                var node = root;
                foreach (var ch in pattern)
                {
                    node.Children ??= new Dictionary<char, Node>();
                    if (!node.Children.TryGetValue(ch, out var child)) node.Children[ch] = child = new Node();
                    node = child;
                }
                node.Token ??= token;
                count++;
            }
        }

        public bool IsEmpty => count == 0;

        public void Split(string text, bool atStart, List<TextSegment> output)
        {
            if (IsEmpty || text.Length == 0)
            {
                if (text.Length > 0) output.Add(new TextSegment(text, null, atStart));
                return;
            }
            var segmentStart = 0;
            var i = 0;
            while (i < text.Length)
            {
                var match = LongestAt(text, i);
                if (match is null) { i++; continue; }
                var (length, token) = match.Value;
                int start = i, stop = i + length;
                if (token.SingleWord)
                {
                    var startSpace = start == 0 || !IsWordChar(text, start, before: true);
                    var stopSpace = stop == text.Length || !IsWordChar(text, stop, before: false);
                    if (!startSpace || !stopSpace) { i = stop; continue; }
                }
                if (token.LStrip)
                {
                    var s = start;
                    while (s > segmentStart && char.IsWhiteSpace(text[s - 1])) s--;
                    start = s;
                }
                if (token.RStrip)
                {
                    while (stop < text.Length && char.IsWhiteSpace(text[stop])) stop++;
                }
                if (segmentStart < start) output.Add(new TextSegment(text[segmentStart..start], null, atStart && segmentStart == 0));
                output.Add(new TextSegment(text[start..stop], token.Id, atStart && start == 0));
                segmentStart = stop;
                i = Math.Max(stop, i + length);
            }
            if (segmentStart < text.Length) output.Add(new TextSegment(text[segmentStart..], null, atStart && segmentStart == 0));
        }

        private (int Length, AddedToken Token)? LongestAt(string text, int i)
        {
            (int, AddedToken)? best = null;
            var node = root;
            for (var j = i; j < text.Length; j++)
            {
                if (node.Children is null || !node.Children.TryGetValue(text[j], out node)) break;
                if (node.Token is not null) best = (j - i + 1, node.Token);
            }
            return best;
        }

        private static bool IsWordChar(string text, int index, bool before)
        {
            var c = before ? text[index - 1] : text[index];
            return char.IsLetterOrDigit(c) || c == '_';
        }
    }
}
