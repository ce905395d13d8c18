using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using AlignedGen.Decoding;

namespace AlignedGen.Generation;

/// <summary>
/// What a decoding strategy is, for job manifests: its type, name and the text of each public setting (the options
/// records print every value, invariantly), so a resume with other strategy options is refused.
/// </summary>
internal static class StrategyIdentity
{
    internal static JsonObject Of(IDecodingStrategy strategy)
    {
        var settings = new JsonObject();
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        try
        {
            foreach (var property in strategy.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                if (property.Name is nameof(IDecodingStrategy.Name) || property.GetIndexParameters().Length > 0) continue;
                var value = property.GetValue(strategy);
                if (value is bool) continue; // flags such as NeedsReward follow from the settings
                settings[property.Name] = value?.ToString();
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
        return new JsonObject { ["kind"] = strategy.GetType().FullName, ["name"] = strategy.Name, ["settings"] = settings };
    }
}
