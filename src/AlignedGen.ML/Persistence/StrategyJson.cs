using System.Text.Json;
using System.Text.Json.Nodes;
using AlignedGen.Decoding;

namespace AlignedGen.ML.Persistence;

/// <summary>Writes a strategy as its registered name and parameter values, and reads it back through <see cref="StrategyRegistry"/>.</summary>
internal static class StrategyJson
{
    /// <summary>{"name": "args", "values": {"w": 1.5, "k": 10}}; throws <see cref="NotSupportedException"/> naming <paramref name="transform"/> when the options hold code-built parts.</summary>
    public static JsonObject Write(StrategySpec spec, string transform)
    {
        if (spec.WhyNotWritable is { } reason)
            throw new NotSupportedException($"{transform} cannot be saved: {reason}. Fix: use settings the strategy's parameters can carry, or rebuild the transform in code instead of saving it.");
        var values = new JsonObject();
        foreach (var (key, value) in spec.Values) values[key] = Node(value);
        return new JsonObject { ["name"] = spec.Descriptor.Name, ["values"] = values };
    }

    /// <summary>The strategy <paramref name="node"/> records, built and validated by its registered descriptor.</summary>
    public static StrategySpec Read(JsonNode node, string path)
    {
        var name = node["name"]?.GetValue<string>() ?? throw new InvalidDataException($"'{path}' records a strategy without a name.");
        var descriptor = StrategyRegistry.Default.Find(name)
            ?? throw new InvalidDataException($"'{path}' uses the strategy '{name}', which is not registered here. Fix: load it where that strategy is registered (StrategyRegistry.Default.Register), or with the AlignedGen version that saved it.");
        var values = node["values"]!.AsObject().Select(v => new KeyValuePair<string, object?>(v.Key, Plain(v.Value)));
        return descriptor.Create(values);
    }

    private static JsonNode? Node(object? value) => value switch
    {
        null => null,
        int i => JsonValue.Create(i),
        double d => JsonValue.Create(d),
        bool b => JsonValue.Create(b),
        string s => JsonValue.Create(s),
        _ => throw new NotSupportedException($"A strategy value of type {value.GetType().Name} cannot be written; parameters are whole numbers, numbers, flags or text."),
    };

    private static object? Plain(JsonNode? value) => value?.GetValue<JsonElement>() switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { ValueKind: JsonValueKind.Null } => null,
        var e => throw new InvalidDataException($"A strategy value is {e.Value.ValueKind}; expected a number, true / false, text or null."),
    };
}
