namespace AlignedGen.Data;

/// <summary>Runs Parquet.Net's async calls synchronously, off any single-threaded synchronization context.</summary>
internal static class SyncOverAsync
{
    internal static void Run(Func<Task> action)
    {
        if (SynchronizationContext.Current is null) action().GetAwaiter().GetResult();
        else Task.Run(action).GetAwaiter().GetResult();
    }

    internal static T Run<T>(Func<Task<T>> action) =>
        SynchronizationContext.Current is null ? action().GetAwaiter().GetResult() : Task.Run(action).GetAwaiter().GetResult();
}
