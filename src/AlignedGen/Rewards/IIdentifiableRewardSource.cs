using System.Text.Json.Nodes;

namespace AlignedGen.Rewards;

/// <summary>
/// A reward source that can say what determines its scores (model file hashes, options, a script's text), so a resumed
/// job can tell whether it still scores with the same reward. Sources that do not implement it are identified by their
/// type and name only (see <see cref="RewardSourceIdentity"/>).
/// </summary>
public interface IIdentifiableRewardSource : IRewardSource
{
    /// <summary>The facts that determine the scores, as JSON (compared value by value on resume).</summary>
    JsonObject DescribeIdentity();
}
