using AlignedGen.Rewards;

namespace AlignedGen.Decoding;

/// <summary>DARWIN scoring through any reward source: every scored beam's full (original instruction, response) in one call.</summary>
internal sealed class TextBeamRewards : BeamRewards
{
    public TextBeamRewards(IRewardSource source, DecodingContext context, IReadOnlyList<SequenceRow> originals, RewardWork? work = null)
        : base(source, context, originals, work)
    {
    }

    public override float[] ScoreResponses(IReadOnlyList<SequenceRow> responses, CancellationToken cancellationToken)
        => ScoreQueries(responses.Select(QueryFor).ToArray(), cancellationToken);

    public override void Begin(SequenceBatch beams)
    {
    }

    public override void Score(SequenceBatch beams, IReadOnlyList<int> which, float[] rewards, CancellationToken cancellationToken)
    {
        if (which.Count == 0) return;
        var scores = ScoreQueries(which.Select(b => QueryFor(beams[b])).ToArray(), cancellationToken);
        for (int i = 0; i < which.Count; i++) rewards[which[i]] = scores[i];
    }

    public override void Adopt(SequenceBatch beams, IReadOnlyList<(int Target, int Source)> replacements)
    {
    }

    public override void Keep(IReadOnlyList<int> sourceBeams)
    {
    }

    private float[] ScoreQueries(RewardQuery[] queries, CancellationToken cancellationToken)
    {
        var scores = RewardChecks.ScoreChecked(Source, queries, cancellationToken);
        Work.Calls++;
        Work.Tokens += queries.Sum(q => (long)(q.PromptTokenIds?.Count ?? 0) + (q.ResponseTokenIds?.Count ?? 0));
        return scores;
    }
}
