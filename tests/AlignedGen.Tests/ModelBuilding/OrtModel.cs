using Microsoft.ML.OnnxRuntime;

namespace AlignedGen.Tests.ModelBuilding;

/// <summary>An InferenceSession over a built model plus helpers to run it with named host tensors.</summary>
internal sealed class OrtModel : IDisposable
{
    public OrtModel(string modelPath)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        Session = new InferenceSession(modelPath, options);
    }

    public InferenceSession Session { get; }

    public Dictionary<string, HostTensor> Run(IReadOnlyDictionary<string, HostTensor> inputs)
    {
        var names = inputs.Keys.ToArray();
        var values = names.Select(n => inputs[n].ToOrtValue()).ToArray();
        try
        {
            var outputNames = Session.OutputNames;
            using var results = Session.Run(new RunOptions(), names, values, outputNames);
            var outputs = new Dictionary<string, HostTensor>();
            for (var i = 0; i < outputNames.Count; i++) outputs[outputNames[i]] = HostTensor.FromOrtValue(results[i]);
            return outputs;
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    public void Dispose() => Session.Dispose();
}
