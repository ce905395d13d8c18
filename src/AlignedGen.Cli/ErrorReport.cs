using AlignedGen.Hub;
using AlignedGen.Data;
using AlignedGen.Models;
using AlignedGen.Rewards;
using Microsoft.ML.OnnxRuntime;

namespace AlignedGen.Cli;

/// <summary>
/// Runs a command's work and turns what it throws into one "error: ..." line on stderr and an exit code: input and
/// usage problems are 2, Ctrl+C is 130. Messages are the core's (they name the input, the problem and the fix), with
/// .NET's parameter trailers removed and C# property names replaced by options (<see cref="CliFixes"/>).
/// </summary>
public static class ErrorReport
{
    public static int Guard(TextWriter error, CancellationToken cancellationToken, Func<int> work)
    {
        try
        {
            return work();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine("cancelled.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            error.WriteLine("error: " + Describe(e));
            return ExitCodes.UsageOrInputError;
        }
    }

    /// <summary>The one-line description of an exception, in the CLI's words.</summary>
    public static string Describe(Exception e) => e switch
    {
        CliUsageException or HubException or ModelFolderException or DataFileException or RewardSourceException => CliFixes.Translate(e.Message),
        ArgumentException => CliFixes.Translate(CoreMessage.Of(e)),
        OnnxRuntimeException => "ONNX Runtime: " + e.Message,
        IOException or UnauthorizedAccessException => e.Message,
        InvalidOperationException => CliFixes.Translate(e.Message),
        _ => $"unexpected {e.GetType().Name}: {e.Message} (this is a bug; please report it with the command line)",
    };
}
