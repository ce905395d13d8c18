using AlignedGen.Rewards;
using Microsoft.Extensions.AI;

namespace AlignedGen.Extensions.AI;

/// <summary>Adds AlignedGen's middleware to a <see cref="ChatClientBuilder"/> pipeline, like UseLogging or UseOpenTelemetry.</summary>
public static class ChatClientBuilderExtensions
{
    /// <summary>Adds a <see cref="BestOfNChatClient"/>: each call asks the client below for N candidates and returns the one <paramref name="reward"/> prefers.</summary>
    public static ChatClientBuilder UseBestOfN(this ChatClientBuilder builder, IRewardSource reward, BestOfNChatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(reward);
        return builder.Use(inner => new BestOfNChatClient(inner, reward, options));
    }
}
