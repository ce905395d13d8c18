using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;
using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>
/// Base class of the module's cmdlets. Holds a cancellation token that Ctrl+C (<see cref="StopProcessing"/>) cancels,
/// maps core exceptions onto ErrorRecords with stable ids (<see cref="AlignedGenErrorIds"/>), resolves paths against
/// PowerShell's current location, reports core progress as Write-Progress, and runs long core calls on a background
/// thread while their output, errors and progress are written on the pipeline thread (<see cref="RunInBackground{TResult}"/>).
/// </summary>
public abstract class AlignedGenCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly OpenedSources _opened = new();
    private int _nextActivityId = 1000;
    private bool _disposed;

    /// <summary>Cancelled when the user presses Ctrl+C (StopProcessing). Pass it to every core call.</summary>
    protected CancellationToken CancellationToken => _stop.Token;

    /// <summary>Cancels <see cref="CancellationToken"/>. Overrides must call the base.</summary>
    protected override void StopProcessing()
    {
        _stop.Cancel();
        base.StopProcessing();
    }

    /// <summary>Writes a non-terminating error for a core exception; the pipeline goes on with the next input.</summary>
    protected void WriteCoreError(Exception exception, object? target = null) =>
        WriteError(ErrorRecordFactory.FromException(exception, target));

    /// <summary>
    /// Stops the command with a terminating error for a core exception. A cancellation caused by Ctrl+C becomes
    /// PipelineStoppedException (PowerShell's quiet stop) instead of an error.
    /// </summary>
    [DoesNotReturn]
    protected void ThrowCoreError(Exception exception, object? target = null)
    {
        if (ErrorRecordFactory.Unwrap(exception) is OperationCanceledException && (Stopping || _stop.IsCancellationRequested))
            throw new PipelineStoppedException();
        ThrowTerminatingError(ErrorRecordFactory.FromException(exception, target));
        throw new UnreachableException();
    }

    /// <summary>The models, rewards and embedders this command loaded itself (equal references once); disposed with the command.</summary>
    protected OpenedSources Opened => _opened;

    /// <summary>The language model -<paramref name="parameterName"/> names (an object, or a folder loaded for this command).</summary>
    protected ICausalLanguageModel OpenModel(object? argument, string parameterName = "Model", ExecutionOptions? execution = null)
        => ModelArguments.Model(argument, ResolveOutputPath, _opened, execution, parameterName);

    /// <summary>The reward -<paramref name="parameterName"/> names (an object, "proxy", or a folder loaded for this command).</summary>
    protected IRewardSource OpenReward(object? argument, string parameterName = "RewardModel")
        => _opened.Open(ModelArguments.Reward(argument, ResolveOutputPath, parameterName));

    /// <summary>The reward -<paramref name="parameterName"/> names, or null when the argument is null.</summary>
    protected IRewardSource? OpenRewardOrNull(object? argument, string parameterName)
        => _opened.OpenOrNull(ModelArguments.RewardOrNull(argument, ResolveOutputPath, parameterName));

    /// <summary>
    /// The embedder for coherence: the one -Embedder names, else (<paramref name="argument"/> null) the embedder of a proxy
    /// reward among <paramref name="rewards"/>, else the packaged all-MiniLM-L6-v2.
    /// </summary>
    protected ISentenceEmbedder OpenEmbedder(object? argument, params IRewardSource?[] rewards)
        => argument is not null ? _opened.Open(ModelArguments.Embedder(argument, ResolveOutputPath)) : _opened.OpenDefaultEmbedder(rewards);

    /// <summary>A file-system path for a path the user typed (relative to PowerShell's location, ~ expanded); it need not exist.</summary>
    protected string ResolveOutputPath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>
    /// File-system paths for a path the user typed: wildcards expanded unless <paramref name="literal"/>. A path that
    /// matches nothing (also a wildcard) is reported as a non-terminating <see cref="AlignedGenErrorIds.FileNotFound"/>
    /// error (category ObjectNotFound, target the path as typed, the message naming the PowerShell location it was
    /// resolved against) and yields nothing.
    /// </summary>
    protected IReadOnlyList<string> ResolveInputPaths(string path, bool literal)
    {
        try
        {
            if (literal)
            {
                var single = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                if (File.Exists(single) || Directory.Exists(single)) return new[] { single };
                throw new FileNotFoundException($"Cannot find path '{single}' because it does not exist{LocationNote(path)}.", single);
            }
            var resolved = GetResolvedProviderPathFromPSPath(path, out var provider);
            if (provider.Name != "FileSystem")
                throw new ArgumentException($"'{path}' is a {provider.Name} path; give a file-system path.", nameof(path));
            if (resolved.Count == 0)
                throw new FileNotFoundException($"No file matches '{path}'{LocationNote(path)}.", path);
            return resolved;
        }
        catch (SessionStateException notFound)
        {
            // ItemNotFoundException, DriveNotFoundException, ProviderNotFoundException: nothing to read there.
            WriteError(NotFound(new FileNotFoundException($"{notFound.Message.TrimEnd('.')}{LocationNote(path)}.", path, notFound), path));
        }
        catch (FileNotFoundException ex)
        {
            WriteError(NotFound(ex, path));
        }
        catch (ArgumentException ex)
        {
            WriteCoreError(ex, path);
        }
        return Array.Empty<string>();
    }

    /// <summary>" (relative paths are resolved against the PowerShell location '/x')" for a relative path, "" for a rooted one.</summary>
    protected string LocationNote(string path) =>
        System.IO.Path.IsPathRooted(path) || path.StartsWith('~') || path.Contains(':')
            ? ""
            : $" (relative paths are resolved against the PowerShell location '{SessionState.Path.CurrentFileSystemLocation.ProviderPath}')";

    private static ErrorRecord NotFound(FileNotFoundException exception, string typed)
    {
        var record = ErrorRecordFactory.FromException(exception, typed);
        record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = ErrorRecordFactory.MissingFileFix };
        return record;
    }

    /// <summary>
    /// A progress reporter for core code that runs ON the pipeline thread (synchronous calls). Call
    /// <see cref="CmdletProgress{T}.Complete"/> when done. For work on other threads use <see cref="RunInBackground{TResult}"/>.
    /// </summary>
    protected CmdletProgress<T> CreateProgress<T>(string activity, Func<T, ProgressInfo> describe) =>
        new(Interlocked.Increment(ref _nextActivityId), activity, describe, WriteProgress);

    /// <summary>
    /// Runs <paramref name="work"/> on a background thread; what it writes through its <see cref="BackgroundWork"/>
    /// (objects, errors, verbose, progress) is written here on the pipeline thread as it comes. Returns the work's result,
    /// or rethrows its exception unchanged (map it with <see cref="ThrowCoreError"/> or <see cref="WriteCoreError"/>).
    /// Progress activities it created get their Completed record however it ends. Ctrl+C and a downstream command that
    /// stops reading cancel <see cref="BackgroundWork.CancellationToken"/>; the call returns only after the work has ended.
    /// </summary>
    protected TResult RunInBackground<TResult>(Func<BackgroundWork, TResult> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var runCancellation = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        var pump = new PipelineThreadPump(runCancellation.Token);
        var context = new BackgroundWork(this, pump, runCancellation.Token);
        try
        {
            return pump.Run(() => work(context), runCancellation);
        }
        finally
        {
            CompleteProgressQuietly(context);
        }
    }

    /// <summary>As <see cref="RunInBackground{TResult}"/>, for work without a result.</summary>
    protected void RunInBackground(Action<BackgroundWork> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        RunInBackground<object?>(context =>
        {
            work(context);
            return null;
        });
    }

    /// <summary>Releases the cancellation source; derived classes release their own resources in <see cref="Dispose(bool)"/>.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Dispose(true);
        _opened.Dispose();
        _stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Override to dispose files the cmdlet opened (what <see cref="Opened"/> loaded is disposed after it). Called once, also after Ctrl+C.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    private void CompleteProgressQuietly(BackgroundWork context)
    {
        try
        {
            context.CompleteProgress();
        }
        catch (PipelineStoppedException)
        {
            // Stopping: PowerShell clears progress itself.
        }
    }
}
