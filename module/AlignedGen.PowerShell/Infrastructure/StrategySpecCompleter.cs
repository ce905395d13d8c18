using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using AlignedGen.Decoding;

namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>
/// Tab completion of strategy setting specs (Compare-DecodingStrategy -Setting) from the core's
/// <see cref="StrategyRegistry"/>: a bare word completes to the registered names and aliases; after a name and a space
/// (inside quotes) it completes the strategy's keys not yet given, with their default values
/// (<c>'args w</c> → <c>'args w=1'</c>; a key without a default is left open: <c>'darwin mutation-prompt=</c>). A strategy registered in the library completes without a change here.
/// </summary>
public sealed class StrategySpecCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) => Complete(wordToComplete ?? "", StrategyRegistry.Default);

    /// <summary>The completions of <paramref name="word"/> (as typed, possibly with an opening quote) against <paramref name="registry"/>.</summary>
    public static IEnumerable<CompletionResult> Complete(string word, StrategyRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var quote = word.Length > 0 && word[0] is '\'' or '"' ? word[0].ToString() : "";
        var text = word[quote.Length..].TrimEnd(quote.Length > 0 ? quote[0] : '\0');
        var space = text.IndexOf(' ');
        if (space < 0)
        {
            foreach (var descriptor in registry.Descriptors)
                foreach (var name in descriptor.Aliases.Prepend(descriptor.Name))
                    if (name.StartsWith(text, StringComparison.OrdinalIgnoreCase))
                        yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, descriptor.Summary);
            yield break;
        }
        var head = text[..space];
        var found = registry.Find(head);
        if (found is null) yield break;
        var given = text[(space + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var typing = text.EndsWith(' ') || given.Length == 0 ? "" : given[^1];
        var done = text.EndsWith(' ') ? given : given[..^(given.Length > 0 ? 1 : 0)];
        var keys = done.Select(g => g.Split('=')[0].ToLowerInvariant()).ToHashSet();
        var prefix = text[..(text.Length - typing.Length)];
        if (!prefix.EndsWith(' ')) prefix += " ";
        var open = quote.Length > 0 ? quote : "'";
        foreach (var parameter in found.Parameters)
        {
            if (keys.Contains(parameter.Key) || !parameter.Key.StartsWith(typing.Split('=')[0], StringComparison.OrdinalIgnoreCase)) continue;
            var pair = $"{parameter.Key}={Format(parameter.Default)}";
            // A key without a default value (text) is left open for the user to type its value.
            var close = pair.EndsWith('=') ? "" : open;
            yield return new CompletionResult($"{open}{prefix}{pair}{close}", pair, CompletionResultType.ParameterValue,
                $"{parameter.Name}: {parameter.Description}");
        }
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
