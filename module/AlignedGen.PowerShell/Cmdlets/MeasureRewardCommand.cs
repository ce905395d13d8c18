using System.Management.Automation;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.Rewards;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// Measure-Reward: scores (prompt, response) pairs with a reward. Piped objects bind Prompt, Response (and Reference)
/// by property name and are written back with their Reward property set (added as a NoteProperty when absent); pairs
/// given by -Prompt/-Response are written as new objects. Pairs are scored in batches of -BatchSize, on the pipeline
/// thread, so script-block rewards work.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "Reward")]
[OutputType(typeof(PSObject))]
public sealed class MeasureRewardCommand : AlignedGenCmdlet
{
    private readonly List<(PSObject Output, RewardQuery Query)> _pending = new();
    private IRewardSource? _reward;

    /// <summary>A reward object, or a reward model folder.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public object RewardModel { get; set; } = null!;

    /// <summary>The prompt(s). One prompt with several responses scores each response against it.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string[] Prompt { get; set; } = Array.Empty<string>();

    /// <summary>The response(s) to score, one per prompt.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string[] Response { get; set; } = Array.Empty<string>();

    /// <summary>An optional reference answer (the proxy reward's constrained branch uses it).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Reference { get; set; }

    /// <summary>The piped object that is written back with its Reward set.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Pairs scored per reward call.</summary>
    [Parameter]
    [ValidateRange(1, 65536)]
    public int BatchSize { get; set; } = AlignedGenDefaults.BatchSize;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        try
        {
            _reward = OpenReward(RewardModel);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex);
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var pairs = Prompt.Length == Response.Length ? Response.Length : Prompt.Length == 1 ? Response.Length : -1;
        if (pairs < 0)
        {
            WriteCoreError(new ArgumentException(
                $"-Prompt has {Prompt.Length} values and -Response {Response.Length}; give one prompt per response, or one prompt for all.", nameof(Response)), InputObject);
            return;
        }
        var annotate = InputObject is not null && pairs == 1;
        for (var i = 0; i < pairs; i++)
        {
            var prompt = Prompt.Length == 1 ? Prompt[0] : Prompt[i];
            var output = annotate ? InputObject! : NewPair(prompt, Response[i]);
            _pending.Add((output, new RewardQuery(prompt ?? string.Empty, Response[i] ?? string.Empty, Reference)));
            if (_pending.Count >= BatchSize) Flush();
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing() => Flush();

    /// <summary>Sets (or adds) the Reward property of <paramref name="target"/>.</summary>
    internal static void SetReward(PSObject target, double reward)
    {
        var existing = target.Properties["Reward"];
        if (existing is not null && existing.IsSettable)
            existing.Value = reward;
        else
        {
            if (existing is not null) target.Properties.Remove("Reward");
            target.Properties.Add(new PSNoteProperty("Reward", reward));
        }
    }

    private void Flush()
    {
        if (_pending.Count == 0) return;
        var batch = _pending.ToArray();
        _pending.Clear();
        float[] scores;
        try
        {
            scores = RewardChecks.ScoreChecked(_reward!, batch.Select(p => p.Query).ToArray(), CancellationToken);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            if (ErrorRecordFactory.Unwrap(ex) is OperationCanceledException) ThrowCoreError(ex);
            WriteCoreError(ex, _reward!.Name);
            return;
        }
        for (var i = 0; i < batch.Length; i++)
        {
            SetReward(batch[i].Output, scores[i]);
            WriteObject(batch[i].Output);
        }
    }

    private static PSObject NewPair(string prompt, string response)
    {
        var pair = new PSObject();
        pair.Properties.Add(new PSNoteProperty("Prompt", prompt));
        pair.Properties.Add(new PSNoteProperty("Response", response));
        return pair;
    }
}
