using AlignedGen.Models;
using AlignedGen.Rewards;

namespace AlignedGen.Decoding;

/// <summary>
/// CARDS scoring over a cached reward model that shares the LM's tokenizer: one reward-model state per prompt holds the
/// prompt and the response fed so far. A candidate feeds only what the state lacks (accepted tokens not yet fed, then the
/// segment) in one call of exactly those tokens; a rejected candidate is cut off again (<see cref="IDecoderState.Truncate"/>),
/// so nothing accepted is ever fed twice. One state per prompt keeps every call free of padding; the price is one call
/// per candidate instead of one per decision round.
/// </summary>
internal sealed class CachedCardsRewards : CardsRewards
{
    private readonly CachedDecoderRewardModel _model;
    private readonly DecodingContext _context;
    private IDecoderState?[] _states = Array.Empty<IDecoderState?>();
    private int[] _fed = Array.Empty<int>();             // response tokens each state holds
    private float?[] _fedReward = Array.Empty<float?>();   // the reward of exactly that prefix, when known

    public CachedCardsRewards(CachedDecoderRewardModel model, DecodingContext context)
    {
        _model = model;
        _context = context;
    }

    public override float[] ScorePrompts(IReadOnlyList<SequenceRow> rows, CancellationToken cancellationToken)
    {
        _states = new IDecoderState?[rows.Count];
        _fed = new int[rows.Count];
        _fedReward = new float?[rows.Count];
        StartAccounts(rows.Count);
        var scores = new float[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var state = _states[i] = _model.CreateState();
            Feed(state, i, rows[i].PromptTokens);
            scores[i] = Checked(state.Output(0)[0], i);
            _fedReward[i] = scores[i];
        }
        return scores;
    }

    public override float[] Score(IReadOnlyList<(SequenceRow Row, IReadOnlyList<int> Response)> candidates, CancellationToken cancellationToken)
    {
        var scores = new float[candidates.Count];
        for (int i = 0; i < candidates.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (row, response) = candidates[i];
            int r = row.RequestIndex;
            var state = _states[r] ?? throw new InvalidOperationException("Score the prompts before their candidates.");
            if (response.Count < _fed[r])
                throw new InvalidOperationException($"Row {r}'s reward cache holds {_fed[r]} response tokens, more than the candidate's {response.Count}; settle every decision first.");
            if (response.Count == _fed[r])
            {
                scores[i] = _fedReward[r] ?? throw new InvalidOperationException($"Row {r}'s reward cache has no reward for its {_fed[r]} response tokens.");
                continue;
            }
            Feed(state, r, response.Skip(_fed[r]).ToArray());
            _fed[r] = response.Count;
            scores[i] = Checked(state.Output(0)[0], r);
            _fedReward[r] = scores[i];
        }
        return scores;
    }

    public override void Settle(int row, int keep, float reward)
    {
        if (_fed[row] <= keep) return;
        var state = _states[row]!;
        state.Truncate(stackalloc int[] { 0 }, stackalloc int[] { state.Length(0) - (_fed[row] - keep) });
        _fed[row] = keep;
        _fedReward[row] = reward;
    }

    private void Feed(IDecoderState state, int row, IReadOnlyList<int> tokens)
    {
        long positions = state.Counters.TokenPositions;
        state.Extend(new[] { tokens });
        Account(new[] { row }, new[] { state.Counters.TokenPositions - positions });
    }

    private float Checked(float reward, int row)
    {
        if (!float.IsFinite(reward)) throw new RewardSourceException(_model.Name, row, $"returned {reward} (not a finite number) for a CARDS candidate.");
        return reward;
    }

    public override void Dispose()
    {
        foreach (var state in _states) state?.Dispose();
    }
}
