using System.Globalization;

namespace AlignedChat;

/// <summary>The example's command line.</summary>
public sealed record ChatSettings(string? Model, string? Reward, string? Template, double? ArgsWeight, int MaxOutputTokens, float Temperature, long? Seed)
{
    public const string Usage = "usage: AlignedChat [--model folder|hf:org/name[@rev][/subfolder]] [--reward folder|hf:...] [--template chatml|llama3|llama2|phi3|human-assistant] "
        + "[--args-weight W] [--max-tokens N] [--temperature T] [--seed S]";

    public static ChatSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new ChatSettings(null, null, null, null, 64, 0.7f, null);
        for (int i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            settings = args[i] switch
            {
                "--model" => settings with { Model = Value() },
                "--reward" => settings with { Reward = Value() },
                "--template" => settings with { Template = Value() },
                "--args-weight" => settings with { ArgsWeight = double.Parse(Value(), CultureInfo.InvariantCulture) },
                "--max-tokens" => settings with { MaxOutputTokens = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--temperature" => settings with { Temperature = float.Parse(Value(), CultureInfo.InvariantCulture) },
                "--seed" => settings with { Seed = long.Parse(Value(), CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'."),
            };
        }
        if (settings.ArgsWeight is not null && settings.Reward is null)
            throw new ArgumentException("--args-weight steers decoding with a reward: give --reward too.");
        return settings;
    }
}
