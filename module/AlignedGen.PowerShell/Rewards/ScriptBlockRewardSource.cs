using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.Rewards;

namespace AlignedGen.PowerShell.Rewards;

/// <summary>
/// A reward computed by a PowerShell script block, <c>param($Prompt, $Response)</c>, that outputs one number per pair
/// (New-ScriptReward). Script blocks must run on their runspace's pipeline thread: when a cmdlet decodes on a worker
/// thread it installs its <see cref="BackgroundWork"/> with <see cref="MarshalTo"/>, and every Score call made on the
/// worker is carried out on the pipeline thread and awaited. Scores are validated like any source's (count, finite).
/// </summary>
public sealed class ScriptBlockRewardSource : IIdentifiableRewardSource
{
    private static readonly AsyncLocal<BackgroundWork?> Marshal = new();

    /// <summary>A reward that runs <paramref name="scriptBlock"/> once per (prompt, response) pair.</summary>
    public ScriptBlockRewardSource(ScriptBlock scriptBlock, string name = "script")
    {
        ScriptBlock = scriptBlock ?? throw new ArgumentNullException(nameof(scriptBlock));
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("A script reward needs a non-empty name (it appears in errors and results).", nameof(name));
        Name = name;
    }

    /// <summary>The script block: param($Prompt, $Response) → one number.</summary>
    public ScriptBlock ScriptBlock { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Number of pairs scored so far (all calls).</summary>
    public long PairsScored => Interlocked.Read(ref _pairsScored);

    private long _pairsScored;

    /// <summary>A script reward is what its text computes: a resumed job must be given the same script.</summary>
    public System.Text.Json.Nodes.JsonObject DescribeIdentity() => new()
    {
        ["script_sha256"] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ScriptBlock.ToString()))).ToLowerInvariant(),
    };

    /// <inheritdoc />
    public float[] Score(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken = default)
    {
        RewardChecks.ValidateQueries(queries);
        var work = Marshal.Value;
        var scores = work is not null && !work.IsPipelineThread
            ? work.InvokeOnPipelineThread(() => ScoreHere(queries, cancellationToken))
            : ScoreHere(queries, cancellationToken);
        return scores;
    }

    /// <summary>
    /// Until the returned scope is disposed, Score calls made on this flow (the worker thread of <paramref name="work"/>
    /// and tasks it starts) run on <paramref name="work"/>'s pipeline thread.
    /// </summary>
    public static IDisposable MarshalTo(BackgroundWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var previous = Marshal.Value;
        Marshal.Value = work;
        return new Scope(previous);
    }

    /// <inheritdoc />
    public override string ToString() => Name;

    private float[] ScoreHere(IReadOnlyList<RewardQuery> queries, CancellationToken cancellationToken)
    {
        if (Runspace.DefaultRunspace is null)
            throw new InvalidOperationException(
                $"Script reward '{Name}' was called on a thread without a PowerShell runspace. Use it through the AlignedGen cmdlets, which run it on the pipeline thread.");
        var scores = new float[queries.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Collection<PSObject> output;
            try
            {
                output = ScriptBlock.Invoke(queries[i].Prompt, queries[i].Response);
            }
            catch (RuntimeException failed) when (failed is not PipelineStoppedException)
            {
                throw new RewardSourceException(Name, i, $"The script block failed: {failed.Message}");
            }
            var values = output.Where(o => o is not null).ToList();
            if (values.Count != 1)
                throw new RewardSourceException(Name, i, $"The script block wrote {values.Count} objects; it must write exactly one number per (prompt, response).");
            try
            {
                scores[i] = (float)LanguagePrimitives.ConvertTo<double>(values[0]);
            }
            catch (PSInvalidCastException)
            {
                throw new RewardSourceException(Name, i, $"The script block wrote '{values[0]}', which is not a number.");
            }
            Interlocked.Increment(ref _pairsScored);
        }
        return scores;
    }

    private sealed class Scope(BackgroundWork? previous) : IDisposable
    {
        public void Dispose() => Marshal.Value = previous;
    }
}
