using System.Management.Automation;
using AlignedGen.PowerShell.Output;
using AlignedGen.PowerShell.Prompts;

namespace AlignedGen.PowerShell.Cmdlets;

/// <summary>
/// ConvertTo-PreferencePair: turns piped scored responses into <see cref="PreferencePair"/> objects, one per prompt
/// (or -GroupBy group): the highest-reward response as Chosen, the lowest as Rejected. Export-PreferencePair writes
/// the same pairs to a file.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "PreferencePair", DefaultParameterSetName = InputObjectSet)]
[OutputType(typeof(PreferencePair))]
public sealed class ConvertToPreferencePairCommand : PreferencePairCmdlet
{
    /// <inheritdoc />
    protected override void EndOfPairs(IReadOnlyList<PreferencePair> pairs)
    {
        foreach (var pair in pairs) WriteObject(pair);
    }
}
