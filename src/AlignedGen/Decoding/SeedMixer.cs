namespace AlignedGen.Decoding;

/// <summary>Deterministic seed derivation (SplitMix64), so every row's random stream is reproducible.</summary>
internal static class SeedMixer
{
    public static int Mix(params int[] parts)
    {
        ulong x = 0x9E3779B97F4A7C15UL;
        foreach (var p in parts)
        {
            x ^= (ulong)(uint)p + 0x9E3779B97F4A7C15UL + (x << 6) + (x >> 2);
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            x ^= x >> 31;
        }
        return (int)(x & 0x7FFFFFFF);
    }

    /// <summary>A row's seed from the run's seed and a stable key (a row id): the same in every run, shard and batch.</summary>
    public static int MixKey(int seed, string key)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));
        return Mix(seed, BitConverter.ToInt32(hash, 0), BitConverter.ToInt32(hash, 4));
    }
}
