namespace AlignedGen.ModelBuilding;

/// <summary>A named decoder shape: the architecture of a model people know, with random weights and a real tokenizer.</summary>
/// <param name="Name">The preset's name, e.g. "qwen2.5-0.5b".</param>
/// <param name="Shape">Its architecture (seed 1).</param>
/// <param name="Tokenizer">The tokenizer it pairs with: "byte-level", "gpt2", "llama2", "phi3", "cl100k_base" or "o200k_base".</param>
/// <param name="About">What it imitates and where it departs from the original.</param>
public sealed record ModelPreset(string Name, DecoderShape Shape, string Tokenizer, string About);

/// <summary>
/// Presets named after the shapes users run (SmolLM2-135M, Qwen2.5-0.5B/1.5B, Llama 3.2 1B, Llama 3 8B, Phi-3-mini,
/// Mistral 7B), smaller reward-model companions, and tiny shapes for tests. Shapes follow the published config.json;
/// where the original tokenizer is not available offline the vocabulary follows the paired tokenizer, as noted.
/// </summary>
public static class ModelPresets
{
    private static readonly ModelPreset[] Presets =
    [
        new("tiny-llama", new DecoderShape { HiddenSize = 64, Layers = 2, Heads = 4, KvHeads = 2, IntermediateSize = 128, MaxPositions = 512 },
            "byte-level", "a 2-layer Llama for tests (byte-level vocabulary of 259)"),
        new("tiny-qwen2", new DecoderShape
            {
                Family = DecoderFamily.Qwen2, HiddenSize = 64, Layers = 2, Heads = 4, KvHeads = 1, IntermediateSize = 96, TiedEmbeddings = true,
                RopeTheta = 1_000_000, RmsNormEpsilon = 1e-6f, MaxPositions = 512,
            }, "byte-level", "a 2-layer Qwen2 (QKV biases, tied embeddings) for tests"),
        new("tiny-mistral", new DecoderShape
            {
                Family = DecoderFamily.Mistral, HiddenSize = 64, Layers = 2, Heads = 4, KvHeads = 2, IntermediateSize = 128, SlidingWindow = 16, MaxPositions = 512,
            }, "byte-level", "a 2-layer Mistral (sliding window of 16) for tests"),
        new("smollm2-135m", new DecoderShape
            {
                VocabularySize = 50304, HiddenSize = 576, Layers = 30, Heads = 9, KvHeads = 3, IntermediateSize = 1536, TiedEmbeddings = true,
                RopeTheta = 100_000, MaxPositions = 8192,
            }, "gpt2", "SmolLM2-135M's shape; GPT-2's byte-level BPE (50,295 ids with the shared copy's added tokens, padded to 50,304 logits) stands in for its own 49,152 (not available offline)"),
        new("smollm2-135m-quarter", new DecoderShape
            {
                VocabularySize = 50304, HiddenSize = 256, Layers = 20, Heads = 4, KvHeads = 2, IntermediateSize = 1024, TiedEmbeddings = true,
                RopeTheta = 100_000, MaxPositions = 8192,
            }, "gpt2", "a quarter of smollm2-135m's parameters with its vocabulary (a 4x smaller reward model for it)"),
        new("qwen2.5-0.5b", new DecoderShape
            {
                Family = DecoderFamily.Qwen2, VocabularySize = 151936, HiddenSize = 896, Layers = 24, Heads = 14, KvHeads = 2, IntermediateSize = 4864,
                TiedEmbeddings = true, RopeTheta = 1_000_000, RmsNormEpsilon = 1e-6f, MaxPositions = 32768,
            }, "cl100k_base", "Qwen2.5-0.5B's shape with its 151,936 logits; cl100k_base's 100,277 tokens stand in for Qwen's 151,665 (ids past them are unused, as Qwen's own padding is)"),
        new("qwen2.5-0.5b-quarter", new DecoderShape
            {
                Family = DecoderFamily.Qwen2, VocabularySize = 151936, HiddenSize = 512, Layers = 12, Heads = 8, KvHeads = 2, IntermediateSize = 2048,
                TiedEmbeddings = true, RopeTheta = 1_000_000, RmsNormEpsilon = 1e-6f, MaxPositions = 32768,
            }, "cl100k_base", "a quarter of qwen2.5-0.5b's parameters with its vocabulary (a 4x smaller reward model for it)"),
        new("qwen2.5-1.5b", new DecoderShape
            {
                Family = DecoderFamily.Qwen2, VocabularySize = 151936, HiddenSize = 1536, Layers = 28, Heads = 12, KvHeads = 2, IntermediateSize = 8960,
                TiedEmbeddings = true, RopeTheta = 1_000_000, RmsNormEpsilon = 1e-6f, MaxPositions = 32768,
            }, "cl100k_base", "Qwen2.5-1.5B's shape (tokenizer as qwen2.5-0.5b)"),
        new("llama-1b", new DecoderShape
            {
                VocabularySize = 128256, HiddenSize = 2048, Layers = 16, Heads = 32, KvHeads = 8, IntermediateSize = 8192, TiedEmbeddings = true,
                RopeTheta = 500_000, MaxPositions = 131072,
            }, "cl100k_base", "Llama 3.2 1B's shape; cl100k_base (the first 100,000 ranks of Llama 3's own tokenizer) stands in for its 128,256"),
        new("llama-3-8b", new DecoderShape
            {
                VocabularySize = 128256, HiddenSize = 4096, Layers = 32, Heads = 32, KvHeads = 8, IntermediateSize = 14336,
                RopeTheta = 500_000, MaxPositions = 8192,
            }, "cl100k_base", "Llama 3 8B's shape (tokenizer as llama-1b)"),
        new("phi3-mini", new DecoderShape
            {
                VocabularySize = 32064, HiddenSize = 3072, Layers = 32, Heads = 32, KvHeads = 32, IntermediateSize = 8192, MaxPositions = 4096,
            }, "phi3", "Phi-3-mini-4k's shape with its own tokenizer (its fused QKV and gate/up projections are written as separate ones)"),
        new("phi4-mini", new DecoderShape
            {
                VocabularySize = 200064, HiddenSize = 3072, Layers = 32, Heads = 24, KvHeads = 8, IntermediateSize = 8192, TiedEmbeddings = true,
                MaxPositions = 131072,
            }, "o200k_base", "Phi-4-mini's shape with o200k_base (its tokenizer's base); rotary on the whole head instead of its 3/4"),
        new("mistral-7b", new DecoderShape
            {
                Family = DecoderFamily.Mistral, VocabularySize = 32000, HiddenSize = 4096, Layers = 32, Heads = 32, KvHeads = 8, IntermediateSize = 14336,
                SlidingWindow = 4096, MaxPositions = 32768,
            }, "llama2", "Mistral 7B v0.1's shape; Llama 2's 32,000-token SentencePiece stands in for its own (the same size and kind)"),
    ];

    /// <summary>Every preset name, in the order above.</summary>
    public static IReadOnlyList<string> Names { get; } = Presets.Select(p => p.Name).ToArray();

    /// <summary>The preset called <paramref name="name"/> (case-insensitive); an unknown name throws, listing the known ones and the nearest.</summary>
    public static ModelPreset Get(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var preset = Presets.FirstOrDefault(p => p.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));
        if (preset is not null) return preset;
        var nearest = Names.MinBy(n => Distance(n, name.Trim().ToLowerInvariant()));
        throw new ArgumentException($"There is no model preset '{name}'. Did you mean '{nearest}'? Known presets: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>
    /// The preset's tokenizer files. "gpt2", "phi3" and "llama2" are linked from <paramref name="sharedRoot"/> (the
    /// project's ../shared: tokenizers/gpt2, tokenizers/phi3, models/tiny-random-llama-fp32); without it they throw,
    /// naming the folder that is missing.
    /// </summary>
    public static BuiltTokenizer TokenizerFor(ModelPreset preset, string? sharedRoot)
    {
        ArgumentNullException.ThrowIfNull(preset);
        return preset.Tokenizer switch
        {
            "byte-level" => BuiltTokenizer.ByteLevel,
            "cl100k_base" or "o200k_base" => BuiltTokenizer.Tiktoken(preset.Tokenizer),
            _ => BuiltTokenizer.LinkedFrom(SharedTokenizerFolder(preset, sharedRoot)),
        };
    }

    private static string SharedTokenizerFolder(ModelPreset preset, string? sharedRoot)
    {
        var relative = preset.Tokenizer switch
        {
            "gpt2" => Path.Combine("tokenizers", "gpt2"),
            "phi3" => Path.Combine("tokenizers", "phi3"),
            "llama2" => Path.Combine("models", "tiny-random-llama-fp32"),
            var other => throw new InvalidOperationException($"Preset '{preset.Name}' names an unknown tokenizer '{other}'."),
        };
        var folder = sharedRoot is null ? null : Path.Combine(sharedRoot, relative);
        if (folder is null || !Directory.Exists(folder))
            throw new DirectoryNotFoundException(
                $"Preset '{preset.Name}' pairs with the {preset.Tokenizer} tokenizer, which lives in ../shared/{relative.Replace('\\', '/')}" +
                (sharedRoot is null ? ", and no shared folder was given" : $", not found under {sharedRoot}") +
                "; pass the shared folder, or build the shape with another tokenizer (DecoderModelOptions.Tokenizer).");
        return folder;
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (int i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
