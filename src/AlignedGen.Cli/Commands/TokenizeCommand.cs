using System.CommandLine;
using System.Text.Json;
using AlignedGen.Models;
using AlignedGen.Tokenization;

namespace AlignedGen.Cli.Commands;

/// <summary>`aligngen tokenize`: a text's token ids and tokens with a model's tokenizer, or (--decode) ids back to text.</summary>
public static class TokenizeCommand
{
    public static Command Create(CliContext c)
    {
        var tokenizer = new Option<string>("--tokenizer", "--model", "-m")
        {
            Description = "A model folder, or a tokenizer file: tokenizer.json, a SentencePiece .model, a BERT vocab.txt.",
            HelpName = "PATH",
            Required = true,
        };
        var text = new Argument<string[]>("TEXT") { Description = "Text to encode (several arguments are encoded one by one); with --decode, token ids.", Arity = ArgumentArity.OneOrMore };
        var decode = new Option<bool>("--decode") { Description = "Decode the token ids given as TEXT back to text." };
        var noSpecial = new Option<bool>("--no-special-tokens") { Description = "Encode without the tokenizer's special tokens (BOS, [CLS] ...); decode keeping them." };
        var json = new Option<bool>("--json") { Description = "One JSON object per text: text, ids, tokens." };
        var command = new Command("tokenize", "Show how a model's tokenizer splits text into token ids and tokens (or decode ids with --decode).");
        command.Arguments.Add(text);
        foreach (var option in new Option[] { tokenizer, decode, noSpecial, json })
            command.Options.Add(option);
        c.SetAction(command, parse =>
        {
            var t = Load(parse.GetValue(tokenizer)!);
            var special = !parse.GetValue(noSpecial);
            var inputs = parse.GetValue(text)!;
            if (parse.GetValue(decode))
            {
                var ids = inputs.SelectMany(s => s.Split(new[] { ' ', ',', '[', ']' }, StringSplitOptions.RemoveEmptyEntries)).Select(ParseId).ToArray();
                if (ids.FirstOrDefault(id => id >= t.VocabularySize) is var outside && outside >= t.VocabularySize)
                    throw new CliUsageException($"--decode: token id {outside} is outside the vocabulary (0..{t.VocabularySize - 1}).");
                var decoded = t.Decode(ids, skipSpecialTokens: special);
                c.Console.Out.WriteLine(parse.GetValue(json) ? JsonSerializer.Serialize(new { ids, text = decoded }, Json) : decoded);
                return ExitCodes.Ok;
            }
            foreach (var s in inputs)
            {
                var ids = t.Encode(s, special);
                var tokens = ids.Select(id => t.IdToToken(id) ?? "?").ToArray();
                if (parse.GetValue(json))
                    c.Console.Out.WriteLine(JsonSerializer.Serialize(new { text = s, ids, tokens }, Json));
                else
                {
                    c.Console.Out.WriteLine($"{ids.Count} tokens: {s}");
                    c.Console.Out.WriteLine("  ids:    " + string.Join(" ", ids));
                    c.Console.Out.WriteLine("  tokens: " + string.Join(" ", tokens.Select(tok => JsonSerializer.Serialize(tok, Json))));
                }
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Tokens as they are ("▁Once", "<s>"), not \u-escaped: the output is for reading.</summary>
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static int ParseId(string text) =>
        int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var id)
            && id >= 0 ? id : throw new CliUsageException($"--decode: '{text}' is not a token id. Give whole numbers of 0 or more, e.g. 1 450 2.");

    private static ITextTokenizer Load(string path)
    {
        if (Directory.Exists(path)) return TokenizerLoader.FromFolder(path);
        if (!File.Exists(path))
            throw new ModelFolderException(path, "this file or folder does not exist.", "pass a model folder or a tokenizer file (tokenizer.json, .model, vocab.txt).");
        var name = Path.GetFileName(path);
        if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return TokenizerLoader.FromTokenizerJson(path);
        if (name.EndsWith(".model", StringComparison.OrdinalIgnoreCase)) return TokenizerLoader.FromSentencePieceModel(path);
        if (name.Equals("vocab.txt", StringComparison.OrdinalIgnoreCase)) return TokenizerLoader.FromBertVocab(path);
        throw new ModelFolderException(path, "this is not a tokenizer file AlignedGen reads.", "pass a model folder, a tokenizer.json, a SentencePiece .model file or a BERT vocab.txt.");
    }
}
