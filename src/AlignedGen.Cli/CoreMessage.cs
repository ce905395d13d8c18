namespace AlignedGen.Cli;

/// <summary>
/// The message of a core exception as a user should read it: the core's own words without .NET's
/// " (Parameter 'topK')" and "Actual value was 0." trailers, which name C# parameters the user never typed.
/// </summary>
public static class CoreMessage
{
    public static string Of(Exception exception)
    {
        var message = exception.Message;
        if (exception is ArgumentOutOfRangeException { ActualValue: not null } range)
        {
            var trailer = Environment.NewLine + $"Actual value was {range.ActualValue}.";
            if (message.EndsWith(trailer, StringComparison.Ordinal)) message = message[..^trailer.Length];
        }
        if (exception is ArgumentException { ParamName: { } name })
        {
            var trailer = $" (Parameter '{name}')";
            if (message.EndsWith(trailer, StringComparison.Ordinal)) message = message[..^trailer.Length];
        }
        return message.Trim();
    }
}
