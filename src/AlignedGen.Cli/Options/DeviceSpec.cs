using AlignedGen.Models;

namespace AlignedGen.Cli.Options;

/// <summary>Parses `--device cpu|cuda|cuda:N` into the core's <see cref="ExecutionOptions"/> (which validates the ordinal).</summary>
public static class DeviceSpec
{
    public const string Syntax = "cpu | cuda | cuda:N";

    public static ExecutionOptions Parse(string text)
    {
        var value = text.Trim().ToLowerInvariant();
        if (value == "cpu") return new ExecutionOptions(ExecutionDevice.Cpu);
        if (value == "cuda" || value == "gpu") return new ExecutionOptions(ExecutionDevice.Cuda, 0);
        if (value.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!int.TryParse(value["cuda:".Length..], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var id))
                throw new ArgumentException($"'{text}' does not name a CUDA device. Use cuda:0 for the first GPU.");
            return new ExecutionOptions(ExecutionDevice.Cuda, id);
        }
        throw new ArgumentException($"'{text}' is not a device. Use {Syntax}.");
    }

    public static string Describe(ExecutionOptions execution) =>
        execution.Device == ExecutionDevice.Cpu ? "cpu" : $"cuda:{execution.DeviceId}";
}
