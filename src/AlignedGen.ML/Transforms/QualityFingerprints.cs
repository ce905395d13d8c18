namespace AlignedGen.ML.Transforms;

/// <summary>Fingerprints of the model folders a MeasureAlignmentQuality transformer uses (null where a source is not a folder).</summary>
internal sealed record QualityFingerprints(string? FluencyModel, string? GuidingReward, string? HeldOutReward, string? Embedder)
{
    /// <summary>Fingerprints every folder <paramref name="options"/> names (reads each model once).</summary>
    public static QualityFingerprints Compute(MeasureQualityOptions options)
    {
        var guiding = Reward(options.GuidingReward);
        var heldOut = ReferenceEquals(options.HeldOutReward, options.GuidingReward) ? guiding : Reward(options.HeldOutReward);
        return new QualityFingerprints(
            options.FluencyModelFolder is null ? null : ModelFolderFingerprint.Compute(options.FluencyModelFolder),
            guiding, heldOut,
            options.Embedder is { Kind: EmbedderSpecKind.ModelFolder } e ? ModelFolderFingerprint.Compute(e.Folder!) : null);
    }

    private static string? Reward(RewardSpec? spec) => spec is { Kind: RewardSpecKind.ModelFolder } ? ModelFolderFingerprint.Compute(spec.Folder!) : null;
}
