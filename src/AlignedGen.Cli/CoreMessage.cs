namespace AlignedGen.Cli;

/// <summary>
/// The message of a core exception as a user should read it: the core's own words without .NET's
/// " (Parameter 'topK')" and "Actual value was 0." trailers (<see cref="SurfaceWording.PlainMessage"/>).
/// </summary>
public static class CoreMessage
{
    public static string Of(Exception exception) => SurfaceWording.PlainMessage(exception);
}
