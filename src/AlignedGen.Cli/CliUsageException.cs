namespace AlignedGen.Cli;

/// <summary>A command line that parsed but asks for something impossible (e.g. a strategy key it does not have); exit code 2.</summary>
public sealed class CliUsageException(string message) : Exception(message);
