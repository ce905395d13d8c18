using System.Management.Automation;

namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>
/// Handed to the delegate of <see cref="AlignedGenCmdlet.RunInBackground{TResult}"/>, which runs on a background
/// thread: everything it writes here is queued and written by the cmdlet's pipeline thread, in order. Use its
/// <see cref="CancellationToken"/> for core calls (cancelled by Ctrl+C and when downstream stops reading).
/// </summary>
public sealed class BackgroundWork
{
    private readonly AlignedGenCmdlet _cmdlet;
    private readonly PipelineThreadPump _pump;
    private readonly List<Action> _completions = new();
    private readonly int _pipelineThreadId;
    private int _nextActivityId;

    internal BackgroundWork(AlignedGenCmdlet cmdlet, PipelineThreadPump pump, CancellationToken cancellationToken)
    {
        _cmdlet = cmdlet;
        _pump = pump;
        _pipelineThreadId = Environment.CurrentManagedThreadId;
        CancellationToken = cancellationToken;
    }

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops taking output.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>True on the cmdlet's pipeline thread (where script blocks and Write-* may run).</summary>
    public bool IsPipelineThread => Environment.CurrentManagedThreadId == _pipelineThreadId;

    /// <summary>
    /// Runs <paramref name="function"/> on the pipeline thread and waits for its result (directly when already there).
    /// Used to run PowerShell script blocks, which must run in the runspace's own thread, from core code on the worker.
    /// Its exception is rethrown here; a PipelineStoppedException also stops the pipeline thread's pump.
    /// </summary>
    public T InvokeOnPipelineThread<T>(Func<T> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (IsPipelineThread) return function();
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pump.Post(() =>
        {
            try
            {
                completion.SetResult(function());
            }
            catch (Exception ex)
            {
                completion.SetException(ex);
                if (ex is PipelineStoppedException) throw;
            }
        });
        try
        {
            completion.Task.Wait(CancellationToken);
        }
        catch (AggregateException wrapped) when (wrapped.InnerExceptions.Count == 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(wrapped.InnerExceptions[0]).Throw();
        }
        return completion.Task.Result;
    }

    /// <summary>Writes an object to the pipeline (enumerating collections as WriteObject does by default: no).</summary>
    public void WriteObject(object? value) => _pump.Post(() => _cmdlet.WriteObject(value));

    /// <summary>Writes an object to the pipeline, enumerating it when <paramref name="enumerateCollection"/> is true.</summary>
    public void WriteObject(object? value, bool enumerateCollection) => _pump.Post(() => _cmdlet.WriteObject(value, enumerateCollection));

    /// <summary>Writes a non-terminating error.</summary>
    public void WriteError(ErrorRecord record) => _pump.Post(() => _cmdlet.WriteError(record));

    /// <summary>Writes a non-terminating error for a core exception (see <see cref="ErrorRecordFactory"/>).</summary>
    public void WriteCoreError(Exception exception, object? target = null) => WriteError(ErrorRecordFactory.FromException(exception, target));

    /// <summary>Writes to the verbose stream.</summary>
    public void WriteVerbose(string text) => _pump.Post(() => _cmdlet.WriteVerbose(text));

    private static readonly string[] HostTag = { "PSHOST" };

    /// <summary>
    /// Writes text to the host as Write-Host does (an information record tagged PSHOST: shown on the console, captured
    /// by -InformationVariable or 6>&amp;1, silenced by -InformationAction Ignore).
    /// </summary>
    public void WriteHost(string text, bool newLine) =>
        _pump.Post(() => _cmdlet.WriteInformation(new System.Management.Automation.HostInformationMessage { Message = text, NoNewLine = !newLine }, HostTag));

    /// <summary>Writes to the warning stream.</summary>
    public void WriteWarning(string text) => _pump.Post(() => _cmdlet.WriteWarning(text));

    /// <summary>
    /// A progress reporter to pass to the core: reports become ProgressRecords written on the pipeline thread, and a
    /// Completed record is written when the background work ends, however it ends. Each call gets its own ActivityId.
    /// </summary>
    public IProgress<T> CreateProgress<T>(string activity, Func<T, ProgressInfo> describe, int? parentActivityId = null)
    {
        var activityId = Interlocked.Increment(ref _nextActivityId);
        var progress = new CmdletProgress<T>(activityId, activity, describe, record =>
        {
            if (parentActivityId is { } parent) record.ParentActivityId = parent;
            if (Environment.CurrentManagedThreadId == _pipelineThreadId) _cmdlet.WriteProgress(record);
            else _pump.Post(() => _cmdlet.WriteProgress(record));
        });
        lock (_completions) _completions.Add(progress.Complete);
        return progress;
    }

    /// <summary>Writes the Completed records of every reporter created here; called on the pipeline thread after the work ended.</summary>
    internal void CompleteProgress()
    {
        Action[] completions;
        lock (_completions) completions = _completions.ToArray();
        foreach (var complete in completions) complete();
    }
}
