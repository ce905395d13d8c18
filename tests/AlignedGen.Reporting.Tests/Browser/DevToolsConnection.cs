using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace AlignedGen.Reporting.Tests.Browser;

/// <summary>
/// A minimal Chrome DevTools Protocol client over one WebSocket: numbered commands answered by id, and events a caller
/// waits for (register the wait before the command that triggers the event). Flattened sessions are addressed by sessionId.
/// </summary>
public sealed class DevToolsConnection : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Dictionary<int, TaskCompletionSource<JsonObject>> _pending = [];
    private readonly List<(string Method, string? SessionId, TaskCompletionSource<JsonObject> Waiter)> _eventWaiters = [];
    private readonly object _gate = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiving;
    private int _nextId;

    private DevToolsConnection(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Connects to a DevTools WebSocket URL (ws://127.0.0.1:port/devtools/browser/…).</summary>
    public static async Task<DevToolsConnection> ConnectAsync(Uri url, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(url, cancellationToken);
        return new DevToolsConnection(socket);
    }

    /// <summary>Sends a command and returns its result; a protocol error throws with the browser's message.</summary>
    public async Task<JsonObject> SendAsync(string method, JsonObject? parameters = null, string? sessionId = null,
        CancellationToken cancellationToken = default)
    {
        var answer = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        int id;
        lock (_gate)
        {
            id = ++_nextId;
            _pending[id] = answer;
        }
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (sessionId is not null) message["sessionId"] = sessionId;
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);
        using var registration = cancellationToken.Register(() => answer.TrySetCanceled(cancellationToken));
        var response = await answer.Task;
        if (response["error"] is JsonObject error)
            throw new InvalidOperationException($"DevTools {method} failed: {error.ToJsonString()}");
        return response["result"] as JsonObject ?? new JsonObject();
    }

    /// <summary>A task that completes with the params of the next event <paramref name="method"/> of <paramref name="sessionId"/>.</summary>
    public Task<JsonObject> WaitForEventAsync(string method, string? sessionId, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _eventWaiters.Add((method, sessionId, waiter));
        cancellationToken.Register(() => waiter.TrySetCanceled(cancellationToken));
        return waiter.Task;
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var part = await _socket.ReceiveAsync(buffer, _closing.Token);
                if (part.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage) continue;
                Dispatch(JsonNode.Parse(message.ToArray()) as JsonObject);
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
        finally { FailAll(new IOException("The DevTools connection closed.")); }
    }

    private void Dispatch(JsonObject? message)
    {
        if (message is null) return;
        lock (_gate)
        {
            if (message["id"] is JsonNode idNode)
            {
                if (_pending.Remove(idNode.GetValue<int>(), out var answer)) answer.TrySetResult(message);
                return;
            }
            var method = (string?)message["method"];
            var sessionId = (string?)message["sessionId"];
            foreach (var waiter in _eventWaiters.Where(w => w.Method == method && w.SessionId == sessionId).ToArray())
            {
                _eventWaiters.Remove(waiter);
                waiter.Waiter.TrySetResult(message["params"] as JsonObject ?? new JsonObject());
            }
        }
    }

    private void FailAll(Exception reason)
    {
        lock (_gate)
        {
            foreach (var answer in _pending.Values) answer.TrySetException(reason);
            foreach (var waiter in _eventWaiters) waiter.Waiter.TrySetException(reason);
            _pending.Clear();
            _eventWaiters.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _closing.Cancel();
        try { await _receiving; } catch (Exception) { }
        _socket.Dispose();
        _closing.Dispose();
    }
}
