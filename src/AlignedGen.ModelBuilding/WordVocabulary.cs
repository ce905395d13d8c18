using System.Text;
using AlignedGen.Tokenization;
using AlignedGen.Tokenization.Pipeline;

namespace AlignedGen.ModelBuilding;

/// <summary>
/// A word-level vocabulary read from a text: four special tokens, then every word and punctuation mark in order of
/// first appearance. Words are split as BERT's pre-tokenizer splits them (whitespace, then each punctuation mark on its
/// own), so the WordPiece tokenizer written from it (<see cref="WordPieceTokenizerWriter"/>) finds every corpus word.
/// </summary>
public sealed class WordVocabulary
{
    public const int PadId = 0;
    public const int BosId = 1;
    public const int EosId = 2;
    public const int UnkId = 3;
    public const string PadToken = "<pad>";
    public const string BosToken = "<s>";
    public const string EosToken = "</s>";
    public const string UnkToken = "[UNK]";

    private WordVocabulary(IReadOnlyList<string> tokens) => Tokens = tokens;

    /// <summary>Every token, indexed by id.</summary>
    public IReadOnlyList<string> Tokens { get; }

    public int Size => Tokens.Count;

    /// <summary>The special ids a model folder declares: BOS &lt;s&gt;, EOS &lt;/s&gt;, PAD &lt;pad&gt;, UNK [UNK].</summary>
    public static SpecialTokenIds SpecialTokens { get; } = new(BosId, [EosId], PadId, UnkId);

    /// <summary>The vocabulary of every non-empty line of <paramref name="corpus"/>.</summary>
    public static WordVocabulary FromCorpus(string corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var tokens = new List<string> { PadToken, BosToken, EosToken, UnkToken };
        var seen = new HashSet<string>(tokens, StringComparer.Ordinal);
        foreach (var word in Split(corpus))
            if (seen.Add(word)) tokens.Add(word);
        if (tokens.Count == 4) throw new ArgumentException("The corpus has no word to build a vocabulary from.", nameof(corpus));
        return new WordVocabulary(tokens);
    }

    /// <summary>Words and punctuation marks of <paramref name="text"/>, as BERT's pre-tokenizer cuts them.</summary>
    public static IEnumerable<string> Split(string text)
    {
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (TextHelpers.IsWhitespace(rune) || TextHelpers.IsBertPunctuation(rune))
            {
                if (word.Length > 0) yield return word.ToString();
                word.Clear();
                if (!TextHelpers.IsWhitespace(rune)) yield return rune.ToString();
            }
            else word.Append(rune.ToString());
        }
        if (word.Length > 0) yield return word.ToString();
    }
}
