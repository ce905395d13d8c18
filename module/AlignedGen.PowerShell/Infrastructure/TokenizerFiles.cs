using AlignedGen.Models;
using AlignedGen.Tokenization;

namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>
/// Loads the tokenizer a -Tokenizer argument names: a model folder (tokenizer.json, tokenizer.model or vocab.txt inside),
/// or one of those files directly. Failures are <see cref="ModelFolderException"/>s from the core loader.
/// </summary>
public static class TokenizerFiles
{
    /// <summary>Loads the tokenizer at <paramref name="path"/> (a resolved file-system path).</summary>
    public static ITextTokenizer Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path)) return TokenizerLoader.FromFolder(path);
        if (!File.Exists(path))
            throw new ModelFolderException(path, "This file or folder does not exist.",
                "Pass a model folder (with tokenizer.json, tokenizer.model or vocab.txt) or one of those files.");
        var name = Path.GetFileName(path);
        if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return TokenizerLoader.FromTokenizerJson(path);
        if (name.EndsWith(".model", StringComparison.OrdinalIgnoreCase)) return TokenizerLoader.FromSentencePieceModel(path);
        if (name.Equals("vocab.txt", StringComparison.OrdinalIgnoreCase)) return TokenizerLoader.FromBertVocab(path);
        throw new ModelFolderException(path, "This is not a tokenizer file AlignedGen reads.",
            "Pass a model folder, a tokenizer.json, a SentencePiece .model file or a BERT vocab.txt.");
    }
}
