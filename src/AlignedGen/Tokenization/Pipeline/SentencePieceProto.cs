using System.Text;

namespace AlignedGen.Tokenization.Pipeline;

/// <summary>A piece of a SentencePiece model: text, score and type (1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte).</summary>
internal readonly record struct SentencePiece(string Piece, float Score, int Type);

/// <summary>
/// The parts of a SentencePiece ModelProto (sentencepiece_model.proto) that tokenization needs, read with a minimal
/// protobuf wire-format reader: pieces (field 1), trainer_spec (2: model_type 3, byte_fallback 35, unk/bos/eos/pad ids
/// 40-43) and normalizer_spec (3: name 1, precompiled_charsmap 2, add_dummy_prefix 3, remove_extra_whitespaces 4,
/// escape_whitespaces 5).
/// </summary>
internal sealed class SentencePieceProto
{
    public const int TypeUnknown = 2, TypeControl = 3, TypeUserDefined = 4;
    public const int ModelUnigram = 1, ModelBpe = 2;

    public List<SentencePiece> Pieces { get; } = new();
    public int ModelType { get; private set; } = ModelUnigram;
    public bool ByteFallback { get; private set; }
    public int UnkId { get; private set; }
    public int BosId { get; private set; } = 1;
    public int EosId { get; private set; } = 2;
    public int PadId { get; private set; } = -1;
    public string NormalizerName { get; private set; } = "";
    public bool HasCharsMap { get; private set; }
    public bool AddDummyPrefix { get; private set; } = true;
    public bool RemoveExtraWhitespaces { get; private set; } = true;
    public bool EscapeWhitespaces { get; private set; } = true;

    public static SentencePieceProto Parse(byte[] data)
    {
        var proto = new SentencePieceProto();
        var reader = new Reader(data, 0, data.Length);
        while (!reader.End)
        {
            var (field, wire) = reader.Key();
            switch (field)
            {
                case 1 when wire == 2: proto.Pieces.Add(ReadPiece(reader.Sub())); break;
                case 2 when wire == 2: proto.ReadTrainerSpec(reader.Sub()); break;
                case 3 when wire == 2: proto.ReadNormalizerSpec(reader.Sub()); break;
                default: reader.SkipValue(wire); break;
            }
        }
        if (proto.Pieces.Count == 0) throw new FormatException("the SentencePiece model has no pieces");
        return proto;
    }

    private static SentencePiece ReadPiece(Reader r)
    {
        string piece = "";
        float score = 0;
        var type = 1;
        while (!r.End)
        {
            var (field, wire) = r.Key();
            switch (field)
            {
                case 1 when wire == 2: piece = r.String(); break;
                case 2 when wire == 5: score = r.Float(); break;
                case 3 when wire == 0: type = (int)r.Varint(); break;
                default: r.SkipValue(wire); break;
            }
        }
        return new SentencePiece(piece, score, type);
    }

    private void ReadTrainerSpec(Reader r)
    {
        while (!r.End)
        {
            var (field, wire) = r.Key();
            if (wire != 0) { r.SkipValue(wire); continue; }
            var value = (long)r.Varint();
            switch (field)
            {
                case 3: ModelType = (int)value; break;
                case 35: ByteFallback = value != 0; break;
                case 40: UnkId = (int)value; break;
                case 41: BosId = (int)value; break;
                case 42: EosId = (int)value; break;
                case 43: PadId = (int)value; break;
            }
        }
    }

    private void ReadNormalizerSpec(Reader r)
    {
        while (!r.End)
        {
            var (field, wire) = r.Key();
            switch (field)
            {
                case 1 when wire == 2: NormalizerName = r.String(); break;
                case 2 when wire == 2: HasCharsMap = r.Sub().Length > 0; break;
                case 3 when wire == 0: AddDummyPrefix = r.Varint() != 0; break;
                case 4 when wire == 0: RemoveExtraWhitespaces = r.Varint() != 0; break;
                case 5 when wire == 0: EscapeWhitespaces = r.Varint() != 0; break;
                default: r.SkipValue(wire); break;
            }
        }
    }

    private sealed class Reader
    {
        private readonly byte[] data;
        private readonly int begin;
        private readonly int end;
        private int position;

        public Reader(byte[] data, int begin, int end)
        {
            this.data = data;
            this.begin = begin;
            this.end = end;
            position = begin;
        }

        public bool End => position >= end;

        public int Length => end - begin;

        public (int Field, int Wire) Key()
        {
            var key = Varint();
            return ((int)(key >> 3), (int)(key & 7));
        }

        public ulong Varint()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (position >= end) throw new FormatException("truncated varint in the SentencePiece model");
                var b = data[position++];
                result |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return result;
            }
            throw new FormatException("malformed varint in the SentencePiece model");
        }

        public Reader Sub()
        {
            var length = checked((int)Varint());
            if (length < 0 || position + length > end) throw new FormatException("truncated field in the SentencePiece model");
            var sub = new Reader(data, position, position + length);
            position += length;
            return sub;
        }

        public string String()
        {
            var sub = Sub();
            return Encoding.UTF8.GetString(data, sub.begin, sub.Length);
        }

        public float Float()
        {
            if (position + 4 > end) throw new FormatException("truncated float in the SentencePiece model");
            var value = BitConverter.ToSingle(data, position);
            position += 4;
            return value;
        }

        public void SkipValue(int wire)
        {
            switch (wire)
            {
                case 0: Varint(); break;
                case 1: position += 8; break;
                case 2: Sub(); break;
                case 5: position += 4; break;
                default: throw new FormatException($"unsupported protobuf wire type {wire} in the SentencePiece model");
            }
            if (position > end) throw new FormatException("truncated field in the SentencePiece model");
        }
    }

    /// <summary>
    /// Hugging Face's SentencePieceExtractor: every split of a piece into two vocabulary pieces is a merge; merges within a
    /// piece are ordered by (left id, right id), then all are stably sorted by the merged piece's score, highest first.
    /// </summary>
    public List<(string Left, string Right)> ExtractMerges(Dictionary<string, int> vocab)
    {
        var merges = new List<(string Left, string Right, float Score)>();
        var local = new List<(string Left, string Right, float Score)>();
        foreach (var p in Pieces)
        {
            local.Clear();
            var merged = p.Piece;
            for (var i = 1; i < merged.Length; i++)
            {
                if (char.IsLowSurrogate(merged[i])) continue;
                var left = merged[..i];
                var right = merged[i..];
                if (vocab.ContainsKey(left) && vocab.ContainsKey(right)) local.Add((left, right, p.Score));
            }
            merges.AddRange(local.OrderBy(m => vocab[m.Left]).ThenBy(m => vocab[m.Right]));
        }
        return merges.OrderByDescending(m => m.Score).Select(m => (m.Left, m.Right)).ToList();
    }
}
