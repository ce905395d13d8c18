using AlignedGen.Models;
using AlignedGen.Tokenization;

namespace AlignedGen.Tests.Decoding.Streaming;

/// <summary>A model that counts the decode steps run on its states (and can slow each one down), delegating all work to an inner model.</summary>
internal sealed class StepCountingModel(ICausalLanguageModel inner, TimeSpan stepDelay = default) : ICausalLanguageModel
{
    private readonly TimeSpan _stepDelay = stepDelay;
    private int _steps;

    /// <summary>Steps (<see cref="IDecoderState.Step"/> calls) run so far on every state of this model.</summary>
    public int Steps => Volatile.Read(ref _steps);

    public string Name => inner.Name;
    public ITextTokenizer Tokenizer => inner.Tokenizer;
    public DecoderConfig Config => inner.Config;
    public ChatTemplate? ChatTemplate => inner.ChatTemplate;
    public IDecoderState CreateState() => new CountingState(inner.CreateState(), this);
    public void Dispose() { }

    private sealed class CountingState(IDecoderState state, StepCountingModel owner) : IDecoderState
    {
        public int RowCount => state.RowCount;
        public int OutputWidth => state.OutputWidth;
        public DecoderCounters Counters => state.Counters;
        public int Length(int row) => state.Length(row);
        public void Extend(IReadOnlyList<IReadOnlyList<int>> tokensPerRow) => state.Extend(tokensPerRow);

        public void Step(ReadOnlySpan<int> tokens)
        {
            Interlocked.Increment(ref owner._steps);
            if (owner._stepDelay > TimeSpan.Zero) Thread.Sleep(owner._stepDelay);
            state.Step(tokens);
        }

        public void SelectRows(ReadOnlySpan<int> sourceRows) => state.SelectRows(sourceRows);
        public void Refill(ReadOnlySpan<int> rows, IReadOnlyList<IReadOnlyList<int>> tokensPerRow) => state.Refill(rows, tokensPerRow);
        public void CopyLastPosition(ReadOnlySpan<int> sourceRows) => state.CopyLastPosition(sourceRows);
        public void Truncate(ReadOnlySpan<int> rows, ReadOnlySpan<int> lengths) => state.Truncate(rows, lengths);
        public ReadOnlySpan<float> Output(int row) => state.Output(row);
        public void Dispose() => state.Dispose();
    }
}
