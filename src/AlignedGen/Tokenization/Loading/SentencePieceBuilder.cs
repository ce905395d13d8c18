using AlignedGen.Tokenization.Pipeline;
using Microsoft.ML.Tokenizers;

namespace AlignedGen.Tokenization;

/// <summary>
/// Builds a <see cref="TextTokenizer"/> from a SentencePiece model file.
/// BPE models are converted exactly as Hugging Face's LlamaConverter does (vocab = pieces, merges from
/// <see cref="SentencePieceProto.ExtractMerges"/>, byte fallback, fused unk, "▁" dummy prefix, spaces to "▁", control
/// pieces as special added tokens) and run on our HF-exact <see cref="BpeModel"/>: Microsoft.ML.Tokenizers'
/// SentencePieceTokenizer differs from HF there (it honours remove_extra_whitespaces, collapsing repeated spaces, and
/// resolves merge ties by piece score, which split a long run of "a" differently on the Llama-2 vocabulary).
/// Unigram models run on Microsoft.ML.Tokenizers' SentencePieceTokenizer (not checked against HF: no Unigram model in shared/).
/// </summary>
internal static class SentencePieceBuilder
{
    public static TextTokenizer Build(string path, byte[] data, bool addBos, bool addEos)
    {
        var proto = SentencePieceProto.Parse(data);
        var added = new List<AddedToken>();
        for (var id = 0; id < proto.Pieces.Count; id++)
        {
            var p = proto.Pieces[id];
            if (p.Type is SentencePieceProto.TypeControl or SentencePieceProto.TypeUnknown) added.Add(new AddedToken(id, p.Piece, Special: true));
            else if (p.Type == SentencePieceProto.TypeUserDefined) added.Add(new AddedToken(id, p.Piece, Special: false));
        }
        int bos = ValidId(proto, proto.BosId), eos = ValidId(proto, proto.EosId);
        var post = Template(addBos ? bos : -1, addEos ? eos : -1);
        var decoderSteps = new List<ITokenDecoder>
        {
            new ReplaceDecoder(new ReplaceNormalizer("\u2581", null, " ")), new ByteFallbackDecoder(), new FuseDecoder(),
        };
        if (proto.AddDummyPrefix) decoderSteps.Add(new StripDecoder(' ', 1, 0));
        var decoder = new SequenceDecoder(decoderSteps);

        if (proto.ModelType == SentencePieceProto.ModelBpe)
        {
            var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var id = 0; id < proto.Pieces.Count; id++) vocab[proto.Pieces[id].Piece] = id;
            var unk = proto.Pieces.FindIndex(p => p.Type == SentencePieceProto.TypeUnknown);
            var model = new BpeModel(vocab, proto.ExtractMerges(vocab), unk >= 0 ? proto.Pieces[unk].Piece : null,
                fuseUnk: true, byteFallback: proto.ByteFallback, ignoreMerges: false, null, null);
            var steps = new List<ITextNormalizer>();
            if (proto.AddDummyPrefix) steps.Add(new PrependNormalizer("\u2581"));
            if (proto.EscapeWhitespaces) steps.Add(new ReplaceNormalizer(" ", null, "\u2581"));
            var normalizer = new SequenceNormalizer(steps);
            return new TextTokenizer(path, "SentencePiece BPE" + (proto.ByteFallback ? " (byte fallback)" : ""),
                new AddedVocabulary(added, normalizer), normalizer, null, model, post, decoder) { ModelEosId = eos >= 0 ? eos : null };
        }
        if (proto.ModelType == SentencePieceProto.ModelUnigram)
        {
            using var stream = new MemoryStream(data, writable: false);
            var inner = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
            return new TextTokenizer(path, "SentencePiece Unigram", new AddedVocabulary(added, null), null, null,
                new SentencePieceModelAdapter(inner), post, decoder) { ModelEosId = eos >= 0 ? eos : null };
        }
        throw new NotSupportedException($"SentencePiece model_type {proto.ModelType} (only BPE = 2 and Unigram = 1 are supported)");
    }

    private static int ValidId(SentencePieceProto proto, int id) => id >= 0 && id < proto.Pieces.Count ? id : -1;

    private static TemplatePostProcessor Template(int bos, int eos)
    {
        var single = new List<TemplatePiece>();
        var pair = new List<TemplatePiece>();
        if (bos >= 0) { single.Add(new(-1, [bos], 0)); pair.Add(new(-1, [bos], 0)); }
        single.Add(new(0, [], 0));
        pair.Add(new(0, [], 0));
        if (eos >= 0) { single.Add(new(-1, [eos], 0)); pair.Add(new(-1, [eos], 0)); }
        if (bos >= 0) pair.Add(new(-1, [bos], 1));
        pair.Add(new(1, [], 1));
        if (eos >= 0) pair.Add(new(-1, [eos], 1));
        return new TemplatePostProcessor(single, pair);
    }
}
