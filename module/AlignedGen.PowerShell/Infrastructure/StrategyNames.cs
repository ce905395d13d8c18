using System.Management.Automation;
using AlignedGen.Decoding;

namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>The registered strategies' names in PascalCase (Args, ArgsStochastic, BestOfN, ...) for [ValidateSet] and tab completion of -Strategy.</summary>
public sealed class StrategyNames : IValidateSetValuesGenerator
{
    /// <inheritdoc />
    public string[] GetValidValues() => StrategyRegistry.Default.Descriptors.Select(d => d.PascalName).ToArray();
}
