using System.Collections.ObjectModel;
using System.Management.Automation;
using AlignedGen.Decoding;

namespace AlignedGen.PowerShell.Infrastructure;

/// <summary>
/// A registered strategy's parameters as PowerShell dynamic parameters (names in PascalCase, e.g. -CandidateCount,
/// -TopK): integers, doubles, strings, and switches for flags that default to off ([bool] for flags that default to
/// on). Whatever strategy the <see cref="StrategyRegistry"/> holds appears on the cmdlet without a cmdlet change.
/// </summary>
public sealed class StrategyParameters
{
    private readonly RuntimeDefinedParameterDictionary _dictionary = new();

    /// <summary>The dynamic parameters of <paramref name="descriptor"/> on <paramref name="cmdletType"/>; a name the cmdlet already has is refused.</summary>
    public StrategyParameters(StrategyDescriptor descriptor, Type cmdletType)
    {
        Descriptor = descriptor ?? throw new ArgumentNullException(nameof(descriptor));
        var taken = new HashSet<string>(cmdletType.GetProperties().Where(p => p.IsDefined(typeof(ParameterAttribute), true)).Select(p => p.Name)
            .Concat(PSCmdlet.CommonParameters).Concat(PSCmdlet.OptionalCommonParameters), StringComparer.OrdinalIgnoreCase);
        foreach (var p in descriptor.Parameters)
        {
            if (taken.Contains(p.Name))
                throw new InvalidOperationException($"Strategy '{descriptor.Name}' has a parameter {p.Name} that the cmdlet already has; rename it in the strategy's descriptor.");
            var attributes = new Collection<Attribute> { new ParameterAttribute { HelpMessage = $"{p.Description} (default {Default(p)})" } };
            _dictionary.Add(p.Name, new RuntimeDefinedParameter(p.Name, TypeOf(p), attributes));
        }
    }

    /// <summary>The strategy.</summary>
    public StrategyDescriptor Descriptor { get; }

    /// <summary>What <see cref="IDynamicParameters.GetDynamicParameters"/> returns; PowerShell binds the values into it.</summary>
    public RuntimeDefinedParameterDictionary Dictionary => _dictionary;

    /// <summary>The strategy parameters the user gave, as typed: "-CandidateCount 0 -Weight 2" (the target of an error in their values).</summary>
    public string GivenText => string.Join(" ", _dictionary.Values.Where(p => p.IsSet).Select(p => p.Value is SwitchParameter { IsPresent: true } ? $"-{p.Name}" : $"-{p.Name} {p.Value}"));

    /// <summary>The strategy with the bound values (absent ones at their defaults); errors start with <paramref name="source"/> ("-Strategy Args").</summary>
    public StrategySpec CreateSpec(string source)
    {
        var given = _dictionary.Values.Where(p => p.IsSet).Select(p => new KeyValuePair<string, object?>(p.Name, p.Value switch
        {
            SwitchParameter s => s.IsPresent,
            PSObject o => o.BaseObject,
            var v => v,
        }));
        return Descriptor.Create(given, source);
    }

    private static Type TypeOf(StrategyParameter p) => p.Kind switch
    {
        StrategyParameterKind.Flag when p.Default is false => typeof(SwitchParameter),
        _ => p.ValueType,
    };

    private static string Default(StrategyParameter p) => p.Default switch
    {
        null => "none",
        bool b => b ? "$true" : "$false",
        var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
