using AlignedGen.Tokenization;

namespace AlignedGen.ModelBuilding;

/// <summary>
/// The tokenizer files a built model folder gets: the built-in byte-level vocabulary (written), a tiktoken encoding
/// (written as tokenizer.json), or the files of an existing tokenizer folder (linked, never copied: a real 32k–50k
/// tokenizer such as Llama-2's or GPT-2's).
/// </summary>
public abstract class BuiltTokenizer
{
    private static readonly string[] TokenizerFileNames =
        ["tokenizer.json", "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt", "added_tokens.json"];

    private BuiltTokenizer() { }

    /// <summary>Ids the tokenizer can produce.</summary>
    public abstract int VocabularySize { get; }

    /// <summary>BOS / EOS / PAD as the tokenizer defines them (PAD falls back to the first EOS, as Hugging Face configs often do).</summary>
    public abstract SpecialTokenIds SpecialTokens { get; }

    /// <summary>What the folder's tokenizer is, for config.json and cache keys (e.g. "byte-level", "linked:/path/to/gpt2").</summary>
    public abstract string Description { get; }

    /// <summary>Puts the tokenizer files into <paramref name="folder"/>.</summary>
    public abstract void WriteTo(string folder, int modelMaxLength);

    /// <summary>The 259-id byte-level vocabulary (256 bytes, &lt;s&gt;, &lt;/s&gt;, &lt;pad&gt;) that the tiny builders use.</summary>
    public static BuiltTokenizer ByteLevel { get; } = new ByteLevelFiles();

    /// <summary>
    /// The tokenizer files of <paramref name="folder"/> (tokenizer.json, tokenizer.model, tokenizer_config.json, ...),
    /// linked into built folders. Loads the tokenizer once to learn its size and special ids; throws
    /// <see cref="AlignedGen.Models.ModelFolderException"/> when the folder holds no usable tokenizer.
    /// </summary>
    public static BuiltTokenizer LinkedFrom(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        folder = Path.GetFullPath(folder);
        var tokenizer = TokenizerLoader.FromFolder(folder);
        var specials = tokenizer.SpecialTokens;
        if (specials.Pad is null && specials.Eos.Count > 0) specials = specials with { Pad = specials.Eos[0] };
        return new LinkedFiles(folder, tokenizer.VocabularySize, specials);
    }

    /// <summary>
    /// A tiktoken encoding ("cl100k_base": 100,277 ids, "o200k_base": 200,019 ids) written as a byte-level BPE
    /// tokenizer.json (the conversion transformers uses for Llama 3); end of text is both EOS and PAD, there is no BOS.
    /// </summary>
    public static BuiltTokenizer Tiktoken(string encoding)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(encoding);
        var (size, endOfText) = TiktokenTokenizerWriter.Describe(encoding);
        return new TiktokenFiles(encoding, size, new SpecialTokenIds(null, [endOfText], endOfText, null));
    }

    private sealed class TiktokenFiles(string encoding, int vocabularySize, SpecialTokenIds specials) : BuiltTokenizer
    {
        public override int VocabularySize => vocabularySize;
        public override SpecialTokenIds SpecialTokens => specials;
        public override string Description => "tiktoken:" + encoding;
        public override void WriteTo(string folder, int modelMaxLength) => TiktokenTokenizerWriter.WriteAll(folder, encoding, modelMaxLength);
    }

    private sealed class ByteLevelFiles : BuiltTokenizer
    {
        public override int VocabularySize => ByteLevelVocabulary.Size;
        public override SpecialTokenIds SpecialTokens => ByteLevelVocabulary.SpecialTokens;
        public override string Description => "byte-level";
        public override void WriteTo(string folder, int modelMaxLength) => ByteLevelTokenizerWriter.WriteAll(folder, modelMaxLength);
    }

    private sealed class LinkedFiles(string source, int vocabularySize, SpecialTokenIds specials) : BuiltTokenizer
    {
        public override int VocabularySize => vocabularySize;
        public override SpecialTokenIds SpecialTokens => specials;
        public override string Description => "linked:" + source;

        public override void WriteTo(string folder, int modelMaxLength)
        {
            foreach (var name in TokenizerFileNames)
            {
                var target = Path.Combine(source, name);
                if (!File.Exists(target)) continue;
                var link = Path.Combine(folder, name);
                if (File.Exists(link)) File.Delete(link);
                try
                {
                    File.CreateSymbolicLink(link, target);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
                {
                    File.Copy(target, link);   // no symbolic links here (e.g. Windows without the privilege): a copy in the cache folder
                }
            }
        }
    }
}
