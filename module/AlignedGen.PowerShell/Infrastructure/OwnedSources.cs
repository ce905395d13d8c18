using AlignedGen.Rewards;

namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>
/// The models and rewards a cmdlet loaded itself from folders (and so must dispose), and the guiding/held-out reward
/// pair that the evaluation cmdlets resolve alike: the same object given twice is loaded once.
/// </summary>
internal sealed class OwnedSources : IDisposable
{
    private readonly List<IDisposable> _owned = new();

    /// <summary>Returns <paramref name="value"/>, remembering to dispose it when <paramref name="owned"/>.</summary>
    public T Own<T>(T value, bool owned)
    {
        if (owned && value is IDisposable disposable) _owned.Add(disposable);
        return value;
    }

    /// <summary>Resolves -GuidingReward and -HeldOutReward (objects or folders); the held-out one is the guiding one when both name the same object.</summary>
    public (IRewardSource? Guiding, IRewardSource? HeldOut) ResolveRewards(object? guidingArgument, object? heldOutArgument, Func<string, string> resolvePath)
    {
        var guiding = guidingArgument is null ? null
            : Own(ModelArguments.ResolveReward(guidingArgument, resolvePath, out var a, "GuidingReward"), a);
        var heldOut = heldOutArgument is null ? null
            : ReferenceEquals(ModelArguments.Unwrap(heldOutArgument), ModelArguments.Unwrap(guidingArgument)) ? guiding
            : Own(ModelArguments.ResolveReward(heldOutArgument, resolvePath, out var b, "HeldOutReward"), b);
        return (guiding, heldOut);
    }

    /// <summary>Disposes what was loaded, last first.</summary>
    public void Dispose()
    {
        for (var i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _owned.Clear();
    }
}
