using System.Management.Automation;
using AlignedGen.PowerShell.Infrastructure;
using AlignedGen.PowerShell.Rewards;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// New-ScriptReward: turns a script block, <c>param($Prompt, $Response)</c> writing one number, into a reward source
/// (<see cref="ScriptBlockRewardSource"/>) for Invoke-RewardGuidedDecode, Measure-Reward and New-CompositeReward.
/// </summary>
[Cmdlet(VerbsCommon.New, "ScriptReward")]
[OutputType(typeof(ScriptBlockRewardSource))]
public sealed class NewScriptRewardCommand : AlignedGenCmdlet
{
    /// <summary>The scoring script: param($Prompt, $Response), writes exactly one number.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public ScriptBlock ScriptBlock { get; set; } = null!;

    /// <summary>The reward's name in errors and reports.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "script";

    /// <inheritdoc />
    protected override void EndProcessing() => WriteObject(new ScriptBlockRewardSource(ScriptBlock, Name));
}
