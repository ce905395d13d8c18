using System.Management.Automation;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.PowerShell.Output;
using AlignedGen.Rewards;

namespace AlignedGen.PowerShell.Prompts;

/// <summary>
/// Base of ConvertTo-PreferencePair and Export-PreferencePair's pipeline form: groups piped scored responses by prompt
/// (or by the -GroupBy property) and builds one <see cref="PreferencePair"/> per group, its highest-reward response as
/// Chosen and its lowest as Rejected. Rewards come from each object's Reward property, or from -RewardModel (scored in
/// batches on the pipeline thread). A derived cmdlet decides where the pairs go (<see cref="EndOfPairs"/>).
/// </summary>
public abstract class PreferencePairCmdlet : AlignedGenCmdlet
{
    /// <summary>The parameter set of piped responses.</summary>
    protected const string InputObjectSet = "InputObject";

    private readonly List<(string Group, RewardQuery Query)> _unscored = new();
    private PreferencePairBuilder? _builder;
    private IRewardSource? _reward;

    /// <summary>Objects with Prompt and Response (and Reward unless -RewardModel is given).</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
    [ValidateNotNull]
    public PSObject InputObject { get; set; } = null!;

    /// <summary>Score the responses with this reward (object or folder) instead of reading their Reward property.</summary>
    [Parameter(ParameterSetName = InputObjectSet)]
    public object? RewardModel { get; set; }

    /// <summary>The property that groups responses (default Prompt), e.g. Id.</summary>
    [Parameter(ParameterSetName = InputObjectSet)]
    [ValidateNotNullOrEmpty]
    public string GroupBy { get; set; } = "Prompt";

    /// <summary>The least ScoreChosen − ScoreRejected a pair needs; ties never make a pair.</summary>
    [Parameter]
    [ValidateRange(0.0, double.MaxValue)]
    public double Margin { get; set; }

    /// <summary>Pairs scored per reward call with -RewardModel.</summary>
    [Parameter(ParameterSetName = InputObjectSet)]
    [ValidateRange(1, 65536)]
    public int BatchSize { get; set; } = AlignedGenDefaults.BatchSize;

    /// <summary>
    /// Whether this invocation pairs piped responses (true unless a derived cmdlet's other parameter set was chosen).
    /// Not ParameterSetName alone: before pipeline input is bound PowerShell may not have resolved the set yet.
    /// </summary>
    protected virtual bool PairsPipedResponses => true;

    /// <summary>True when -GroupBy names a property other than Prompt.</summary>
    protected bool GroupsByOtherProperty => !string.Equals(GroupBy, "Prompt", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (!PairsPipedResponses) return;
        try
        {
            _builder = new PreferencePairBuilder(Margin);
            if (RewardModel is null) return;
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
        if (!PairsPipedResponses) return;
        string group, prompt, response;
        double? reward = null;
        try
        {
            prompt = PipelineInputReader.ReadText(InputObject, "Prompt");
            response = PipelineInputReader.ReadText(InputObject, "Response");
            group = GroupsByOtherProperty ? PipelineInputReader.ReadText(InputObject, GroupBy) : prompt;
            if (_reward is null) reward = ReadReward(InputObject);
        }
        catch (ArgumentException ex)
        {
            WriteCoreError(ex, InputObject);
            return;
        }
        if (reward is { } score)
        {
            _builder!.Add(group, prompt, response, score);
            return;
        }
        _unscored.Add((group, new RewardQuery(prompt, response)));
        if (_unscored.Count >= BatchSize) ScorePending();
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (!PairsPipedResponses) return;
        ScorePending();
        EndOfPairs(_builder!.Build().ToList());
    }

    /// <summary>Called once with every pair the piped responses made, in the order their groups were first seen.</summary>
    protected abstract void EndOfPairs(IReadOnlyList<PreferencePair> pairs);

    private void ScorePending()
    {
        if (_unscored.Count == 0) return;
        var batch = _unscored.ToArray();
        _unscored.Clear();
        try
        {
            var scores = RewardChecks.ScoreChecked(_reward!, batch.Select(b => b.Query).ToArray(), CancellationToken);
            for (var i = 0; i < batch.Length; i++)
                _builder!.Add(batch[i].Group, batch[i].Query.Prompt, batch[i].Query.Response, scores[i]);
        }
        catch (Exception ex) when (ex is not PipelineStoppedException)
        {
            ThrowCoreError(ex, _reward!.Name);
        }
    }

    private static double ReadReward(PSObject input)
    {
        var value = PipelineInputReader.GetProperty(input, "Reward");
        if (ModelArguments.Unwrap(value) is null)
            throw new ArgumentException("The input has no Reward (or it is null); pipe it through Measure-Reward first, or give -RewardModel.", "Reward");
        try
        {
            var reward = LanguagePrimitives.ConvertTo<double>(value);
            if (!double.IsFinite(reward)) throw new ArgumentException($"The input's Reward is {reward}; it must be a finite number.", "Reward");
            return reward;
        }
        catch (PSInvalidCastException)
        {
            throw new ArgumentException($"The input's Reward '{value}' is not a number.", "Reward");
        }
    }
}
