using AlignedGen.Tokenization;

namespace AlignedGen.Rewards;

/// <summary>
/// Turns queries into token rows for one reward model: the token-id path (LM ids used as they are) or the text path
/// (format + the model's own tokenizer), then truncation to the maximum length.
/// </summary>
internal sealed class RewardInputEncoder
{
    private readonly string _sourceName;

    public RewardInputEncoder(string sourceName, RewardInputFormat format, ITextTokenizer? tokenizer, int? maxLength,
        RewardTruncation truncation, bool strict, bool useTokenIds)
    {
        if (useTokenIds && format.IsPair)
            throw new ArgumentException($"UseTokenIds works with single-sequence formats only; '{format.Name}' is a pair format. Fix: set UseTokenIds = false (the text path re-tokenizes with the model's tokenizer).", nameof(useTokenIds));
        _sourceName = sourceName;
        Format = format;
        Tokenizer = tokenizer;
        MaxLength = maxLength;
        Truncation = truncation;
        Strict = strict;
        UseTokenIds = useTokenIds;
    }

    public RewardInputFormat Format { get; }
    public ITextTokenizer? Tokenizer { get; }
    public int? MaxLength { get; }
    public RewardTruncation Truncation { get; }
    public bool Strict { get; }
    public bool UseTokenIds { get; }

    /// <summary>Encodes one query (row index used in errors).</summary>
    public EncodedRewardInput Encode(RewardQuery query, int row)
    {
        var parts = ToParts(query, row);
        var encoded = Assemble(parts, row);
        if (encoded.Length == 0)
            throw new RewardSourceException(_sourceName, row, "the input has no tokens (empty prompt, empty response and no BOS); a reward model cannot score an empty sequence.");
        return encoded;
    }

    /// <summary>Untruncated parts of a query: LM ids when allowed and present, otherwise the format applied with the tokenizer.</summary>
    public RewardInputParts ToParts(RewardQuery query, int row)
    {
        if (query.PromptTokenIds is { } promptIds && query.ResponseTokenIds is { } responseIds && (UseTokenIds || IdsAreOurs(query.TokenIdsTokenizer)))
            return FromTokenIds(promptIds, responseIds);
        if (Tokenizer is null)
            throw new InvalidOperationException($"Reward source '{_sourceName}', row {row}: this model has no tokenizer, so it can only score queries that carry PromptTokenIds and ResponseTokenIds (with UseTokenIds = true). Fix: load the model with its tokenizer, or pass token ids.");
        return Format.Encode(Tokenizer, query.Prompt, query.Response);
    }

    // The LM's ids are used as they are when they come from a tokenizer with this model's vocabulary and the format is the
    // plain "prompt then response" one (templates and pairs need the text). Decided once per tokenizer instance.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<ITextTokenizer, object> _sameVocabulary = new();

    private bool IdsAreOurs(ITextTokenizer? idsTokenizer)
    {
        if (idsTokenizer is null || Tokenizer is null || !(ReferenceEquals(Format, RewardInputFormat.PromptSpaceResponse) || ReferenceEquals(Format, RewardInputFormat.PromptSpaceResponseWithoutBos))) return false;
        return (bool)_sameVocabulary.GetValue(idsTokenizer, t => TokenizerComparer.SameVocabulary(t, Tokenizer));
    }

    private RewardInputParts FromTokenIds(IReadOnlyList<int> promptIds, IReadOnlyList<int> responseIds)
    {
        var keepFirst = Format.AddsBos && promptIds.Count > 0;
        var start = keepFirst ? 1 : 0;
        var text = new int[promptIds.Count - start + responseIds.Count];
        var k = 0;
        for (var i = start; i < promptIds.Count; i++) text[k++] = promptIds[i];
        for (var i = 0; i < responseIds.Count; i++) text[k++] = responseIds[i];
        return RewardInputParts.Single(keepFirst ? new[] { promptIds[0] } : Array.Empty<int>(), text);
    }

    /// <summary>Concatenates the parts, truncating the segments when the row is longer than <see cref="MaxLength"/>.</summary>
    public EncodedRewardInput Assemble(RewardInputParts parts, int row)
    {
        var total = parts.Length;
        int keepFirstStart = 0, keepFirstEnd = parts.First.Length, keepSecondStart = 0, keepSecondEnd = parts.Second.Length;
        var truncated = false;
        if (MaxLength is { } max && total > max)
        {
            if (Strict)
                throw new RewardSourceException(_sourceName, row, $"the input has {total} tokens, more than MaxLength {max}, and Strict is set. Fix: shorten the text, raise MaxLength, or set Strict = false to truncate.");
            var budget = max - parts.FixedLength;
            if (budget < 0)
                throw new RewardSourceException(_sourceName, row, $"MaxLength {max} leaves no room: the format's special tokens alone take {parts.FixedLength}. Fix: raise MaxLength.");
            truncated = true;
            var a = parts.First.Length;
            var b = parts.Second.Length;
            var drop = total - max;
            switch (Truncation)
            {
                case RewardTruncation.Left:
                {
                    var dropA = Math.Min(drop, a);
                    keepFirstStart = dropA;
                    keepSecondStart = drop - dropA;
                    break;
                }
                case RewardTruncation.Right:
                {
                    var dropB = Math.Min(drop, b);
                    keepSecondEnd = b - dropB;
                    keepFirstEnd = a - (drop - dropB);
                    break;
                }
                default:
                {
                    var (n1, n2) = LongestFirstLengths(a, b, budget, Format.IsPair);
                    keepFirstEnd = Math.Min(a, n1);
                    keepSecondEnd = Math.Min(b, n2);
                    break;
                }
            }
        }

        var firstLength = keepFirstEnd - keepFirstStart;
        var secondLength = keepSecondEnd - keepSecondStart;
        var ids = new int[parts.FixedLength + firstLength + secondLength];
        var k = 0;
        parts.Prefix.CopyTo(ids, k); k += parts.Prefix.Length;
        Array.Copy(parts.First, keepFirstStart, ids, k, firstLength); k += firstLength;
        parts.Middle.CopyTo(ids, k); k += parts.Middle.Length;
        var secondStart = Format.IsPair ? k : ids.Length;
        Array.Copy(parts.Second, keepSecondStart, ids, k, secondLength); k += secondLength;
        parts.Suffix.CopyTo(ids, k);
        return new EncodedRewardInput(ids, secondStart, truncated);
    }

    /// <summary>Hugging Face tokenizers' longest_first lengths (the shorter segment keeps its length when it can; otherwise both get half).</summary>
    internal static (int First, int Second) LongestFirstLengths(int a, int b, int budget, bool isPair)
    {
        if (!isPair) return (Math.Min(a, budget), 0);
        int n1 = a, n2 = b;
        var swap = n1 > n2;
        if (swap) (n1, n2) = (n2, n1);
        n2 = n1 > budget ? n1 : Math.Max(n1, budget - n1);
        if (n1 + n2 > budget)
        {
            n1 = budget / 2;
            n2 = n1 + budget % 2;
        }
        return swap ? (n2, n1) : (n1, n2);
    }
}
