using AlignedGen.Tokenization;

namespace AlignedGen.ModelBuilding;

/// <summary>
/// Writes an <see cref="NGramTables"/> model as a decoder folder the runtime loads like any Optimum export: inputs
/// input_ids, attention_mask and one past_key_values pair; outputs logits and the present pair. The "KV cache" holds
/// the token ids seen so far ([batch, 1, past, 1] as floats), so each step reads the two tokens before the current
/// one from it, looks up the longest observed context (4-gram, 3-gram, else the last token) and gathers that row of
/// logits. Left padding is harmless: pads before &lt;s&gt; are the contexts the counts were taken with.
/// </summary>
public static class NGramDecoderBuilder
{
    public static OnnxGraphBuilder BuildGraph(NGramTables tables, int padId)
    {
        ArgumentNullException.ThrowIfNull(tables);
        long v = tables.Vocabulary;
        var g = new OnnxGraphBuilder("ngram_decoder");
        var inputIds = g.AddInput("input_ids", OnnxElementType.Int64, "batch_size", "sequence_length");
        g.AddInput("attention_mask", OnnxElementType.Int64, "batch_size", "total_sequence_length");
        var pastKey = g.AddInput("past_key_values.0.key", OnnxElementType.Float, "batch_size", 1, "past_sequence_length", 1);
        var pastValue = g.AddInput("past_key_values.0.value", OnnxElementType.Float, "batch_size", 1, "past_sequence_length", 1);

        // The cache: every token id so far, as floats (exact up to 2^24).
        var current = g.Unsqueeze(g.Cast(inputIds, OnnxElementType.Float), [1, 3]);
        var presentKey = g.Concat(2, [pastKey, current], "present.0.key");
        g.Concat(2, [pastValue, current], "present.0.value");

        // history = [pad, pad, every id so far]: position past + i of the current chunk has its two predecessors at
        // history[past + i] and history[past + i + 1].
        var all = g.Squeeze(presentKey, [1, 3]);
        var padColumn = g.Add(g.Mul(g.Slice(all, g.Constant(0), g.Constant(1), g.Constant(1)), g.Scalar(0f)), g.Scalar((float)padId));
        var history = g.Concat(1, [padColumn, padColumn, all]);
        var past = g.Slice(g.Shape(pastKey), g.Constant(2), g.Constant(3), g.Constant(0));
        var length = g.Slice(g.Shape(inputIds), g.Constant(1), g.Constant(2), g.Constant(0));
        var end = g.Add(past, length);
        var one = g.Constant(1);
        var before2 = g.Cast(g.Slice(history, past, end, one), OnnxElementType.Int64);
        var before1 = g.Cast(g.Slice(history, g.Add(past, one), g.Add(end, one), one), OnnxElementType.Int64);

        var pairIndex = g.AddInitializer("pair_index", tables.PairIndex, tables.PairIndex.Length);
        var tripleIndex = g.AddInitializer("triple_index", tables.TripleIndex, tables.TripleIndex.Length);
        var logits = g.AddFloat16Initializer("logit_rows", tables.Logits, tables.Rows, v);
        var vocabulary = g.Scalar(v);
        var zero = g.Scalar(0L);
        var pairOfLast = g.Gather(pairIndex, g.Add(g.Mul(before1, vocabulary), inputIds));
        var pairBefore = g.Gather(pairIndex, g.Add(g.Mul(before2, vocabulary), before1));
        var pairBeforeOrUnseen = g.Where(g.AddNode("Less", [pairBefore, zero], null), g.Scalar((long)tables.PairCount), pairBefore);
        var triple = g.Gather(tripleIndex, g.Add(g.Mul(pairBeforeOrUnseen, vocabulary), inputIds));
        var row = g.Where(g.AddNode("GreaterOrEqual", [triple, zero], null), g.Add(triple, g.Scalar(v + tables.PairCount)),
            g.Where(g.AddNode("GreaterOrEqual", [pairOfLast, zero], null), g.Add(pairOfLast, vocabulary), inputIds));
        g.Cast(g.Gather(logits, row), OnnxElementType.Float, "logits");

        g.AddOutput("logits", OnnxElementType.Float, "batch_size", "sequence_length", tables.Vocabulary);
        g.AddOutput("present.0.key", OnnxElementType.Float, "batch_size", 1, "total_sequence_length", 1);
        g.AddOutput("present.0.value", OnnxElementType.Float, "batch_size", 1, "total_sequence_length", 1);
        return g;
    }

    /// <summary>Writes model.onnx, config.json and generation_config.json for <paramref name="tables"/> into <paramref name="folder"/>.</summary>
    public static void WriteFolder(NGramTables tables, SpecialTokenIds specials, string folder, int contextLength)
    {
        var padId = specials.Pad ?? throw new ArgumentException("The n-gram decoder needs a pad id (its contexts before <s>).", nameof(specials));
        Directory.CreateDirectory(folder);
        BuildGraph(tables, padId).Save(Path.Combine(folder, ModelConfigWriter.ModelFile));
        JsonFileWriter.Write(Path.Combine(folder, "config.json"), j =>
        {
            j.WriteStartObject();
            j.WriteString("_comment", "Built by AlignedGen.ModelBuilding: an interpolated word 4-gram model as an ONNX decoder (the cache holds the token ids). Use model.onnx.");
            j.WriteString("model_type", "ngram");
            j.WriteNumber("vocab_size", tables.Vocabulary);
            j.WriteNumber("num_hidden_layers", 1);
            j.WriteNumber("num_attention_heads", 1);
            j.WriteNumber("num_key_value_heads", 1);
            j.WriteNumber("head_dim", 1);
            j.WriteNumber("max_position_embeddings", contextLength);
            JsonFileWriter.WriteOptionalId(j, "bos_token_id", specials.Bos);
            JsonFileWriter.WriteIdOrList(j, "eos_token_id", specials.Eos);
            JsonFileWriter.WriteOptionalId(j, "pad_token_id", specials.Pad);
            j.WriteStartObject("alignedgen");
            j.WriteString("construction", "interpolated 4-gram");
            j.WriteNumber("context_pairs", tables.PairCount);
            j.WriteNumber("context_triples", tables.TripleCount);
            j.WriteEndObject();
            j.WriteEndObject();
        });
        ModelConfigWriter.WriteGenerationConfig(folder, specials);
    }
}
