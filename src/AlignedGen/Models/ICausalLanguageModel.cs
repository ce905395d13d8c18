using AlignedGen.Tokenization;

namespace AlignedGen.Models;

/// <summary>
/// A causal language model as decoding strategies see it: a tokenizer, its configuration, and fresh decoder states.
/// Immutable and shareable; each generation works in its own <see cref="IDecoderState"/>.
/// </summary>
public interface ICausalLanguageModel : IDisposable
{
    /// <summary>A short name (the folder name) for results and reports.</summary>
    string Name { get; }

    /// <summary>The model's tokenizer.</summary>
    ITextTokenizer Tokenizer { get; }

    /// <summary>Vocabulary, context length and special ids.</summary>
    DecoderConfig Config { get; }

    /// <summary>The chat template the folder declares (tokenizer_config.json), or null when it has none or it is not recognised.</summary>
    ChatTemplate? ChatTemplate { get; }

    /// <summary>Creates an empty decoder state; its first <see cref="IDecoderState.Extend"/> is the prefill.</summary>
    IDecoderState CreateState();

    /// <summary>
    /// Bytes of KV cache a state holds at its peak for <paramref name="rows"/> rows of <paramref name="tokens"/> positions
    /// each (padding included), or 0 when the model cannot tell: what a memory budget is checked against.
    /// </summary>
    long CacheBytes(int rows, int tokens) => 0;
}
