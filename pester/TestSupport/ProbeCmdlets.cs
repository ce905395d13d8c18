// Test-only cmdlets built on the module's public base classes, compiled by the Pester tests with Add-Type.
// They let the tests drive AlignedGenCmdlet (error mapping, background work, progress, cancellation) and
// PromptPipelineCmdlet (binding and batching) the way the module's real cmdlets will.
using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using AlignedGen;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.PowerShell.Prompts;
using AlignedGen.Rewards;

namespace AlignedGen.PesterProbes
{
    /// <summary>Throws (terminating) or writes (non-terminating) a core exception of the requested kind.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "ProbeCoreError")]
    public sealed class TestProbeCoreErrorCommand : AlignedGenCmdlet
    {
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateSet("Argument", "ArgumentOutOfRange", "ModelFolderMissing", "ModelFolderExisting", "RewardSource", "Canceled", "Aggregate", "Other")]
        public string Kind { get; set; } = "";

        [Parameter]
        public string ExistingPath { get; set; } = "/";

        [Parameter]
        public SwitchParameter NonTerminating { get; set; }

        protected override void EndProcessing()
        {
            Exception ex = Kind switch
            {
                "Argument" => new ArgumentException("bad value", "Temperature"),
                "ArgumentOutOfRange" => new ArgumentOutOfRangeException("TopK", -1, "TopK must be positive."),
                "ModelFolderMissing" => new ModelFolderException("/no/such/folder", "missing", "pass a folder"),
                "ModelFolderExisting" => new ModelFolderException(ExistingPath, "no model.onnx", "export the model"),
                "RewardSource" => new RewardSourceException("probe-rm", 3, "returned NaN"),
                "Canceled" => new OperationCanceledException("cancelled by a timeout"),
                "Aggregate" => new AggregateException(new RewardSourceException("probe-rm", null, "wrong count")),
                _ => new InvalidOperationException("unexpected"),
            };
            if (NonTerminating) WriteCoreError(ex);
            else ThrowCoreError(ex);
        }
    }

    /// <summary>Runs work on a background thread: reports Steps progress steps, writes one object per step, optionally fails or waits for cancellation.</summary>
    [Cmdlet(VerbsDiagnostic.Test, "ProbeBackgroundWork")]
    public sealed class TestProbeBackgroundWorkCommand : AlignedGenCmdlet
    {
        public static volatile bool LastRunCancelled;
        public static volatile int LastRunStepsDone;

        [Parameter] public int Steps { get; set; } = 10;
        [Parameter] public int DelayMilliseconds { get; set; }
        [Parameter] public SwitchParameter FailAtEnd { get; set; }
        [Parameter] public SwitchParameter UnknownTotal { get; set; }

        protected override void EndProcessing()
        {
            LastRunCancelled = false;
            LastRunStepsDone = 0;
            var pipelineThread = Environment.CurrentManagedThreadId;
            try
            {
                var result = RunInBackground(work =>
                {
                    var progress = work.CreateProgress<int>("Probe work", done =>
                        new ProgressInfo($"step {done}", done, UnknownTotal ? null : Steps));
                    for (var i = 1; i <= Steps; i++)
                    {
                        if (work.CancellationToken.WaitHandle.WaitOne(DelayMilliseconds))
                        {
                            LastRunCancelled = true;
                            work.CancellationToken.ThrowIfCancellationRequested();
                        }
                        progress.Report(i);
                        var sameThread = Environment.CurrentManagedThreadId == pipelineThread;
                        work.WriteObject(new PSObject(new { Step = i, WorkerOnPipelineThread = sameThread }));
                        LastRunStepsDone = i;
                    }
                    if (FailAtEnd) throw new RewardSourceException("probe-rm", Steps, "failed at the end");
                    return Steps;
                });
                WriteVerbose($"result {result}");
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                if (ex is OperationCanceledException) LastRunCancelled = true;
                ThrowCoreError(ex);
            }
        }
    }

    /// <summary>Writes every prompt item it receives, as it receives it, and a count at the end (verbose).</summary>
    [Cmdlet(VerbsDiagnostic.Test, "ProbePrompt")]
    public sealed class TestProbePromptCommand : PromptPipelineCmdlet
    {
        private int _prompts;

        protected override void ProcessPrompt(PromptItem prompt)
        {
            _prompts++;
            WriteObject(prompt);
        }

        protected override void EndOfPrompts() => WriteVerbose($"{_prompts} prompts");
    }
}
