namespace AlignedGen.Decoding;

/// <summary>Beam <paramref name="Target"/> took beam <paramref name="Source"/>'s response, keeping its own instruction; <paramref name="Cache"/> says how its model cache followed.</summary>
public sealed record DarwinReplacement(int Target, int Source, ResponseAdoption Cache);
