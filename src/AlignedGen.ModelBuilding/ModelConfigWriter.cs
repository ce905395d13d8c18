using System.Text.Json;
using AlignedGen.Tokenization;

namespace AlignedGen.ModelBuilding;

/// <summary>Writes config.json, generation_config.json and genai_config.json for a built model folder.</summary>
internal static class ModelConfigWriter
{
    public const string ModelFile = "model.onnx";

    /// <summary>Hugging Face config.json with Llama-style size fields plus an "alignedgen" block saying how the model was built.</summary>
    public static void WriteConfig(string folder, TransformerWeights w, SpecialTokenIds specials, bool float16,
        string architecture, Action<Utf8JsonWriter> writeConstruction, Action<Utf8JsonWriter>? writeExtra = null)
    {
        JsonFileWriter.Write(Path.Combine(folder, "config.json"), j =>
        {
            j.WriteStartObject();
            j.WriteString("_comment", "Built by AlignedGen.ModelBuilding: a tiny transformer with constructed weights (learned sinusoidal position embedding, RMSNorm pre-norm blocks, SiLU MLP, no final norm). Not loadable as Hugging Face Llama weights; use model.onnx.");
            j.WriteStartArray("architectures");
            j.WriteStringValue(architecture);
            j.WriteEndArray();
            j.WriteString("model_type", "llama");
            j.WriteNumber("vocab_size", w.Vocabulary);
            j.WriteNumber("hidden_size", w.Hidden);
            j.WriteNumber("intermediate_size", w.MlpSize);
            j.WriteNumber("num_hidden_layers", w.Layers.Length);
            j.WriteNumber("num_attention_heads", w.Heads);
            j.WriteNumber("num_key_value_heads", w.KvHeads);
            j.WriteNumber("head_dim", w.HeadSize);
            j.WriteNumber("max_position_embeddings", w.MaxPositions);
            j.WriteNumber("rms_norm_eps", TransformerWeights.NormEpsilon);
            j.WriteString("hidden_act", "silu");
            j.WriteBoolean("tie_word_embeddings", false);
            j.WriteString("torch_dtype", float16 ? "float16" : "float32");
            WriteSpecials(j, specials);
            writeExtra?.Invoke(j);
            j.WriteStartObject("alignedgen");
            writeConstruction(j);
            j.WriteEndObject();
            j.WriteEndObject();
        });
    }

    public static void WriteGenerationConfig(string folder, SpecialTokenIds specials)
    {
        JsonFileWriter.Write(Path.Combine(folder, "generation_config.json"), j =>
        {
            j.WriteStartObject();
            WriteSpecials(j, specials);
            j.WriteEndObject();
        });
    }

    /// <summary>onnxruntime-genai's genai_config.json for a tiny constructed decoder with a KV cache.</summary>
    public static void WriteGenAiConfig(string folder, TransformerWeights w, SpecialTokenIds specials, bool includePositionIds, string mainOutput) =>
        WriteGenAiConfig(folder, new GenAiGeometry("llama", w.Vocabulary, w.Hidden, w.Heads, w.KvHeads, w.HeadSize, w.Layers.Length, w.MaxPositions),
            specials, includePositionIds, mainOutput);

    /// <summary>onnxruntime-genai's genai_config.json for a decoder with a KV cache.</summary>
    public static void WriteGenAiConfig(string folder, GenAiGeometry w, SpecialTokenIds specials, bool includePositionIds, string mainOutput)
    {
        JsonFileWriter.Write(Path.Combine(folder, "genai_config.json"), j =>
        {
            j.WriteStartObject();
            j.WriteStartObject("model");
            if (specials.Bos is int bos) j.WriteNumber("bos_token_id", bos);
            j.WriteNumber("context_length", w.MaxPositions);
            j.WriteStartObject("decoder");
            j.WriteStartObject("session_options");
            j.WriteString("log_id", "onnxruntime-genai");
            j.WriteStartArray("provider_options");
            j.WriteEndArray();
            j.WriteEndObject();
            j.WriteString("filename", ModelFile);
            j.WriteNumber("head_size", w.HeadSize);
            j.WriteNumber("hidden_size", w.Hidden);
            j.WriteStartObject("inputs");
            j.WriteString("input_ids", "input_ids");
            j.WriteString("attention_mask", "attention_mask");
            if (includePositionIds) j.WriteString("position_ids", "position_ids");
            j.WriteString("past_key_names", "past_key_values.%d.key");
            j.WriteString("past_value_names", "past_key_values.%d.value");
            j.WriteEndObject();
            j.WriteStartObject("outputs");
            j.WriteString(mainOutput, mainOutput);
            j.WriteString("present_key_names", "present.%d.key");
            j.WriteString("present_value_names", "present.%d.value");
            j.WriteEndObject();
            j.WriteNumber("num_attention_heads", w.Heads);
            j.WriteNumber("num_hidden_layers", w.Layers);
            j.WriteNumber("num_key_value_heads", w.KvHeads);
            j.WriteEndObject();
            if (specials.Eos.Count > 0) JsonFileWriter.WriteIdOrList(j, "eos_token_id", specials.Eos);
            if (specials.Pad is int pad) j.WriteNumber("pad_token_id", pad);
            j.WriteString("type", w.ModelType);
            j.WriteNumber("vocab_size", w.Vocabulary);
            j.WriteEndObject();
            j.WriteStartObject("search");
            j.WriteBoolean("do_sample", false);
            j.WriteNumber("max_length", w.MaxPositions);
            j.WriteNumber("num_beams", 1);
            j.WriteEndObject();
            j.WriteEndObject();
        });
    }

    private static void WriteSpecials(Utf8JsonWriter j, SpecialTokenIds specials)
    {
        JsonFileWriter.WriteOptionalId(j, "bos_token_id", specials.Bos);
        if (specials.Eos.Count == 0) j.WriteNull("eos_token_id");
        else JsonFileWriter.WriteIdOrList(j, "eos_token_id", specials.Eos);
        JsonFileWriter.WriteOptionalId(j, "pad_token_id", specials.Pad);
    }
}

/// <summary>The numbers genai_config.json states about a decoder (model.type is onnxruntime-genai's family name: llama, qwen2, mistral).</summary>
internal sealed record GenAiGeometry(string ModelType, int Vocabulary, int Hidden, int Heads, int KvHeads, int HeadSize, int Layers, int MaxPositions);
