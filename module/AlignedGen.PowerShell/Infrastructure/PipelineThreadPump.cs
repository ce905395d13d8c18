using System.Collections.Concurrent;

namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>
/// Runs one piece of work on a background thread while the cmdlet's pipeline thread executes the actions the work
/// posts (WriteObject, WriteProgress, WriteError ... may only be called on the pipeline thread). The queue is bounded,
/// so a slow downstream command slows the work down instead of filling memory.
/// </summary>
internal sealed class PipelineThreadPump
{
    private const int QueueCapacity = 256;

    private readonly BlockingCollection<Action> _queue = new(QueueCapacity);
    private readonly CancellationToken _token;

    public PipelineThreadPump(CancellationToken token) => _token = token;

    /// <summary>Queues an action for the pipeline thread; blocks while the queue is full; throws OperationCanceledException once cancelled.</summary>
    public void Post(Action action)
    {
        try
        {
            _queue.Add(action, _token);
        }
        catch (InvalidOperationException) when (_queue.IsAddingCompleted)
        {
            // Posted after the work returned (a stray continuation): nothing reads the queue any more.
        }
    }

    /// <summary>
    /// Starts <paramref name="work"/> on a background thread and executes posted actions on the calling thread until it
    /// ends; then returns its result or rethrows its exception. When a posted action throws (the pipeline is stopping, or
    /// a downstream Select-Object -First is satisfied), <paramref name="cancelWork"/> is cancelled, the work is awaited
    /// and the action's exception propagates.
    /// </summary>
    public TResult Run<TResult>(Func<TResult> work, CancellationTokenSource cancelWork)
    {
        var task = Task.Factory.StartNew(() =>
        {
            try { return work(); }
            finally { _queue.CompleteAdding(); }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        try
        {
            foreach (var action in _queue.GetConsumingEnumerable())
                action();
        }
        catch
        {
            cancelWork.Cancel();
            try { task.Wait(); } catch (AggregateException) { /* the action's exception wins */ }
            throw;
        }
        return task.GetAwaiter().GetResult();
    }
}
