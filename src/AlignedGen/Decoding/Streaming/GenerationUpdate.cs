namespace AlignedGen.Decoding;

/// <summary>
/// One piece of a streamed generation (<see cref="TextGenerator.GenerateStreamingAsync"/>): the text and tokens one
/// request gained since its previous update, and on its last update the finished <see cref="Result"/>. A request's
/// <see cref="Text"/> pieces concatenated equal its <see cref="GenerationResult.Text"/> exactly (no half character, nothing
/// a stop string later removes), and its <see cref="TokenIds"/> concatenated equal <see cref="GenerationResult.TokenIds"/>.
/// </summary>
public sealed record GenerationUpdate
{
    /// <summary>The request's position in the run (0-based): tells requests apart when several stream at once.</summary>
    public required int Index { get; init; }

    /// <summary>The request's id (<see cref="GenerationRequest.Id"/>).</summary>
    public string? Id { get; init; }

    /// <summary>Text added since the request's previous update; empty when the new tokens' text is held back (part of a character, or what could be the start of a stop string).</summary>
    public required string Text { get; init; }

    /// <summary>Tokens chosen since the request's previous update (the final EOS excluded).</summary>
    public IReadOnlyList<int> TokenIds { get; init; } = Array.Empty<int>();

    /// <summary>The request's finished result (reward, finish reason, cost) on its last update; null before.</summary>
    public GenerationResult? Result { get; init; }

    /// <summary>True on the request's last update.</summary>
    public bool IsFinal => Result is not null;
}
