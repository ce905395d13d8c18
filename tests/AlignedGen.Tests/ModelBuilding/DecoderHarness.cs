namespace AlignedGen.Tests.ModelBuilding;

/// <summary>Drives a built decoder (LM or cached RM) step by step with an explicit KV cache, as a runtime would.</summary>
internal sealed class DecoderHarness(string modelPath, int layers, int kvHeads, int headSize, bool half = false) : IDisposable
{
    private readonly OrtModel _model = new(modelPath);

    public OrtModel Model => _model;

    public bool HasPositionIds => _model.Session.InputNames.Contains("position_ids");

    /// <summary>An empty cache [batch, kv, 0, head] for every layer.</summary>
    public Dictionary<string, HostTensor> EmptyCache(int batch)
    {
        var cache = new Dictionary<string, HostTensor>();
        for (var i = 0; i < layers; i++)
        {
            foreach (var kind in new[] { "key", "value" })
                cache[$"past_key_values.{i}.{kind}"] = half
                    ? HostTensor.Half([], batch, kvHeads, 0, headSize)
                    : HostTensor.Float([], batch, kvHeads, 0, headSize);
        }
        return cache;
    }

    /// <summary>
    /// One forward call. Positions default to cumsum(mask) - 1 (clamped at 0) over the new columns, the usual rule for
    /// left-padded batches. Returns every output; present.* are renamed to past_key_values.* for the next call.
    /// </summary>
    public (Dictionary<string, HostTensor> Outputs, Dictionary<string, HostTensor> Cache) Step(
        long[,] ids, long[,] mask, Dictionary<string, HostTensor>? past = null, long[,]? positions = null)
    {
        int batch = ids.GetLength(0), seq = ids.GetLength(1), total = mask.GetLength(1);
        var inputs = new Dictionary<string, HostTensor>
        {
            ["input_ids"] = HostTensor.Int64(ids),
            ["attention_mask"] = HostTensor.Int64(mask),
        };
        if (HasPositionIds) inputs["position_ids"] = HostTensor.Int64(positions ?? DefaultPositions(mask, seq));
        foreach (var (name, value) in past ?? EmptyCache(batch)) inputs[name] = value;
        var outputs = _model.Run(inputs);
        var cache = outputs.Where(kv => kv.Key.StartsWith("present.", StringComparison.Ordinal))
            .ToDictionary(kv => "past_key_values." + kv.Key["present.".Length..], kv => kv.Value);
        return (outputs, cache);
    }

    public static long[,] DefaultPositions(long[,] mask, int seq)
    {
        int batch = mask.GetLength(0), total = mask.GetLength(1);
        var positions = new long[batch, seq];
        for (var b = 0; b < batch; b++)
        {
            long count = 0;
            for (var j = 0; j < total; j++)
            {
                count += mask[b, j];
                if (j >= total - seq) positions[b, j - (total - seq)] = Math.Max(0, count - 1);
            }
        }
        return positions;
    }

    public static long[,] Row(params long[] values)
    {
        var row = new long[1, values.Length];
        for (var i = 0; i < values.Length; i++) row[0, i] = values[i];
        return row;
    }

    public static long[,] Ones(int batch, int length)
    {
        var ones = new long[batch, length];
        for (var b = 0; b < batch; b++)
            for (var j = 0; j < length; j++) ones[b, j] = 1;
        return ones;
    }

    public void Dispose() => _model.Dispose();
}
