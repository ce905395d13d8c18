namespace AlignedGen.Cli;

/// <summary>What `aligngen` returns, for scripts (documented in docs/cli.md and `aligngen --help`).</summary>
public static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Ok = 0;

    /// <summary>The run finished but some rows failed (skipped as corrupt, or not generated); the rest were written.</summary>
    public const int SomeRowsFailed = 1;

    /// <summary>Nothing was run, or the run stopped: a usage error, a bad option value, a missing or unusable input or model.</summary>
    public const int UsageOrInputError = 2;

    /// <summary>Stopped by Ctrl+C (SIGINT); what was written is kept and the message says how to resume.</summary>
    public const int Cancelled = 130;

    /// <summary>Stopped by SIGTERM (scancel, preemption, a deleted pod) after the batch in flight; rerun with --resume to continue.</summary>
    public const int Terminated = 143;

    /// <summary>The lines `aligngen --help` prints about exit codes.</summary>
    public const string Help = "Exit codes: 0 ok, 1 some rows failed (the rest were written), 2 usage or input error, 130 cancelled (Ctrl+C), 143 terminated (SIGTERM).";
}
