namespace AlignedGen.Hub;

/// <summary>
/// A model could not be brought from the Hugging Face Hub. The message names the reference, the problem and the fix
/// (for a gated repository: how to set HF_TOKEN); <see cref="Kind"/> says which case it is.
/// </summary>
public sealed class HubException : Exception
{
    public HubException(HubErrorKind kind, string reference, string problem, string fix, int? statusCode = null, Exception? inner = null)
        : base($"{reference}: {problem} Fix: {fix}", inner)
    {
        Kind = kind;
        Reference = reference;
        Problem = problem;
        Fix = fix;
        StatusCode = statusCode;
    }

    /// <summary>Which failure this is.</summary>
    public HubErrorKind Kind { get; }

    /// <summary>The model reference (hf:org/name...) or file at fault.</summary>
    public string Reference { get; }

    public string Problem { get; }

    public string Fix { get; }

    /// <summary>The HTTP status the Hub answered with, when the failure came from an answer.</summary>
    public int? StatusCode { get; }
}
