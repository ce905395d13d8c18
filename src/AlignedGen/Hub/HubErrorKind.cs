namespace AlignedGen.Hub;

/// <summary>Why a model could not be brought from the Hugging Face Hub (<see cref="HubException.Kind"/>).</summary>
public enum HubErrorKind
{
    /// <summary>The Hub has no such repository (404), or hides a private one from an anonymous caller.</summary>
    RepositoryNotFound,
    /// <summary>The repository exists but the branch, tag or commit does not.</summary>
    RevisionNotFound,
    /// <summary>A file the listing named is not there.</summary>
    FileNotFound,
    /// <summary>The repository is gated or private and no token, or a token without access, was sent (401 / 403).</summary>
    AccessDenied,
    /// <summary>The repository (or the subfolder asked for) holds no ONNX graph: the model must be exported first.</summary>
    NoOnnxModel,
    /// <summary>The repository holds several model folders (variants) and none was chosen.</summary>
    VariantRequired,
    /// <summary>Offline (HF_HUB_OFFLINE) or the Hub cannot be reached, and the model is not in the cache.</summary>
    NotCached,
    /// <summary>The Hub could not be reached or answered with an error after the retries.</summary>
    Unreachable,
    /// <summary>A downloaded file does not have the size or hash (ETag / SHA-256) the Hub reported; it was discarded.</summary>
    IntegrityCheckFailed,
    /// <summary>The cache's disk has too little free space for the files still to download.</summary>
    DiskFull,
}
