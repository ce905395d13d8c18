using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using AlignedGen.Decoding;

namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>
/// Tab completion of -Strategy: the registered strategies' names in PascalCase (Args, ArgsStochastic, BestOfN, ...),
/// each with a tooltip saying what it does and whether it needs -RewardModel. (A [ValidateSet] would complete the names
/// but win over any completer, so no tooltips; <see cref="ValidateStrategyNameAttribute"/> validates instead.)
/// </summary>
public sealed class StrategyNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = (wordToComplete ?? "").Trim('\'', '"');
        return StrategyRegistry.Default.Descriptors
            .Where(d => d.PascalName.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .OrderBy(d => d.PascalName, StringComparer.OrdinalIgnoreCase)
            .Select(d => new CompletionResult(d.PascalName, d.PascalName, CompletionResultType.ParameterValue, ToolTip(d)));
    }

    /// <summary>The strategy's summary and whether it needs a reward.</summary>
    public static string ToolTip(StrategyDescriptor descriptor) =>
        descriptor.Summary + (descriptor.Default.NeedsReward ? " Needs -RewardModel." : " Needs no reward.");
}

/// <summary>Accepts a registered strategy's PascalCase name (case-insensitive), as the [ValidateSet] it replaces did.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateStrategyNameAttribute : ValidateArgumentsAttribute
{
    /// <inheritdoc />
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var names = StrategyRegistry.Default.Descriptors.Select(d => d.PascalName).ToArray();
        var value = arguments?.ToString() ?? "";
        if (!names.Contains(value, StringComparer.OrdinalIgnoreCase))
            throw new ValidationMetadataException($"'{value}' is not a strategy. Use one of: {string.Join(", ", names)} (Tab completes them).");
    }
}
