namespace AlignedGen.Tokenization;

/// <summary>
/// A pair of sequences encoded with the tokenizer's pair template (e.g. BERT's <c>[CLS] A [SEP] B [SEP]</c>):
/// input ids and the matching token type (segment) ids, both of the same length.
/// </summary>
public sealed record PairEncoding(IReadOnlyList<int> InputIds, IReadOnlyList<int> TokenTypeIds);
