namespace AlignedGen.Tokenization.Pipeline;

/// <summary>A text normalizer step (Hugging Face <c>normalizer</c>).</summary>
internal interface ITextNormalizer
{
    string Normalize(string text);
}

/// <summary>A piece of text between pre-tokenization steps; <see cref="AtStart"/> is true when it starts the input.</summary>
internal readonly record struct PreToken(string Text, bool AtStart);

/// <summary>A pre-tokenizer step (Hugging Face <c>pre_tokenizer</c>): splits each piece into smaller pieces.</summary>
internal interface IPreTokenizer
{
    /// <summary>Splits <paramref name="piece"/> and appends the non-empty parts to <paramref name="output"/>.</summary>
    void Split(PreToken piece, List<PreToken> output);
}

/// <summary>A tokenization model (Hugging Face <c>model</c>): one pre-tokenized piece to ids.</summary>
internal interface ITokenModel
{
    /// <summary>Largest id plus one.</summary>
    int VocabularySize { get; }
    string? UnknownToken { get; }
    void Tokenize(string piece, List<int> ids);
    string? IdToToken(int id);
    int? TokenToId(string token);
}

/// <summary>A post-processor (Hugging Face <c>post_processor</c>): adds special tokens around one or two sequences.</summary>
internal interface IPostProcessor
{
    int AddedTokenCount(bool pair);
    void Process(List<int> first, List<int>? second, List<int> ids, List<int> typeIds);
}

/// <summary>A decoder step (Hugging Face <c>decoder</c>): rewrites the token strings in place.</summary>
internal interface ITokenDecoder
{
    void Decode(List<string> tokens);
}
