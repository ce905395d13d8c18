using AlignedGen.Rewards;

namespace AlignedGen.Decoding;

/// <summary>DARWIN scoring through any reward source: every scored beam's full (original instruction, response) in one call.</summary>
internal sealed class TextBeamRewards : BeamRewards
{
    public TextBeamRewards(IRewardSource source, DecodingContext context, IReadOnlyList<SequenceRow> originals, RewardWork? work = null, RewardWork[]? byRequest = null)
        : base(source, context, originals, work, byRequest)
    {
    }

    public override float[] ScoreResponses(IReadOnlyList<SequenceRow> responses, CancellationToken cancellationToken)
        => ScoreQueries(responses.Select(QueryFor).ToArray(), responses.Select(r => r.RequestIndex).ToArray(), cancellationToken);

    public override void Begin(SequenceBatch beams)
    {
    }

    public override void Score(SequenceBatch beams, IReadOnlyList<int> which, float[] rewards, CancellationToken cancellationToken)
    {
        if (which.Count == 0) return;
        var scores = ScoreQueries(which.Select(b => QueryFor(beams[b])).ToArray(), which.Select(b => beams[b].RequestIndex).ToArray(), cancellationToken);
        for (int i = 0; i < which.Count; i++) rewards[which[i]] = scores[i];
    }

    public override void Adopt(SequenceBatch beams, IReadOnlyList<(int Target, int Source)> replacements)
    {
    }

    public override void Keep(IReadOnlyList<int> sourceBeams)
    {
    }

    private float[] ScoreQueries(RewardQuery[] queries, int[] requests, CancellationToken cancellationToken)
    {
        var scores = RewardChecks.ScoreChecked(Source, queries, cancellationToken);
        var tokens = queries.Select(q => (long)(q.PromptTokenIds?.Count ?? 0) + (q.ResponseTokenIds?.Count ?? 0)).ToArray();
        Work.Calls++;
        Work.Tokens += tokens.Sum();
        Account(requests, tokens);
        return scores;
    }
}
