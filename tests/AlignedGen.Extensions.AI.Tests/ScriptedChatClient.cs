using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace AlignedGen.Extensions.AI.Tests;

/// <summary>
/// A fake provider whose answers are known: each call's answer comes from <see cref="Answer"/> (given the call's
/// options), after <see cref="Delay"/>. Records every call's options and the most calls in flight at once.
/// </summary>
internal sealed class ScriptedChatClient(Func<ChatOptions?, int, string> answer) : IChatClient
{
    private int _calls;
    private int _inFlight;
    private int _maxInFlight;

    public Func<ChatOptions?, int, string> Answer { get; } = answer;

    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Calls whose number (0-based) is here throw.</summary>
    public ISet<int> FailingCalls { get; init; } = new HashSet<int>();

    public ConcurrentBag<ChatOptions?> SeenOptions { get; } = new();

    public ConcurrentBag<IReadOnlyList<ChatMessage>> SeenMessages { get; } = new();

    public int Calls => _calls;

    public int MaxInFlight => _maxInFlight;

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var call = Interlocked.Increment(ref _calls) - 1;
        SeenOptions.Add(options);
        SeenMessages.Add(messages.ToList());
        var now = Interlocked.Increment(ref _inFlight);
        int max;
        while ((max = _maxInFlight) < now && Interlocked.CompareExchange(ref _maxInFlight, now, max) != max) { }
        try
        {
            await Task.Delay(Delay, cancellationToken);
            if (FailingCalls.Contains(call)) throw new InvalidOperationException($"provider error on call {call}");
            var text = Answer(options, call);
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
            {
                FinishReason = ChatFinishReason.Stop,
                ModelId = "scripted",
                Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = text.Length, TotalTokenCount = 10 + text.Length },
            };
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates()) yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
