using System.CommandLine;

namespace AlignedGen.Cli.Options;

/// <summary>
/// Parse-time checks that reuse the core's validation: the value is handed to the options object that will carry it,
/// and that object's message (cleaned of .NET's parameter trailers) becomes the parse error, prefixed with the option.
/// So `--top-p 2` fails before anything loads, in the core's words, with exit code 2.
/// </summary>
public static class OptionChecks
{
    /// <summary>Runs <paramref name="check"/> (e.g. <c>v => new GenerationOptions(maxNewTokens: v)</c>) on every given value.</summary>
    public static Option<T> CheckedBy<T>(this Option<T> option, Action<T> check)
    {
        option.Validators.Add(result =>
        {
            if (result.Implicit || result.Tokens.Count == 0) return; // defaults are the core's own
            T value;
            try
            {
                value = result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return; // not a T at all: the parser reports that itself
            }
            try
            {
                check(value);
            }
            catch (ArgumentException e)
            {
                result.AddError($"{option.Name} {string.Join(" ", result.Tokens.Select(t => t.Value))}: {CoreMessage.Of(e)}");
            }
        });
        return option;
    }

    /// <summary>A whole number of at least <paramref name="min"/>.</summary>
    public static Option<int?> AtLeast(this Option<int?> option, int min, string fix) => option.CheckedBy(v =>
    {
        if (v < min) throw new ArgumentException($"must be at least {min}, got {v}. {fix}");
    });
}
