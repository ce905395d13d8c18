namespace AlignedGen;

/// <summary>
/// A model or tokenizer folder cannot be used: a missing file, an unexpected ONNX graph, a tokenizer that does not fit
/// the model. The message names the path, the problem and the fix.
/// </summary>
public sealed class ModelFolderException : Exception
{
    public ModelFolderException(string path, string problem, string fix, Exception? inner = null)
        : base($"{path}: {problem} Fix: {fix}", inner)
    {
        Path = path;
        Problem = problem;
        Fix = fix;
    }

    /// <summary>The file or folder at fault.</summary>
    public string Path { get; }
    public string Problem { get; }
    public string Fix { get; }
}
