using AlignedGen.Rewards;

namespace AlignedGen.Tests.Evaluation;

/// <summary>A sentence embedder with fixed vectors per text (unknown texts get a vector from their length), recording every call.</summary>
internal sealed class TableEmbedder : ISentenceEmbedder
{
    private readonly Dictionary<string, float[]> _table;

    public TableEmbedder(Dictionary<string, float[]>? table = null) => _table = table ?? new Dictionary<string, float[]>();

    public string Name => "table";
    public int Dimension => 2;
    public List<IReadOnlyList<string>> Calls { get; } = new();

    public float[][] Embed(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        Calls.Add(texts.ToArray());
        return texts.Select(t => _table.TryGetValue(t, out var v) ? v : new float[] { 1, t.Length }).ToArray();
    }
}
