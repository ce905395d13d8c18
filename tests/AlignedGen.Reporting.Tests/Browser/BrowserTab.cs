using System.Text.Json.Nodes;

namespace AlignedGen.Reporting.Tests.Browser;

/// <summary>One page of a <see cref="HeadlessChromium"/>, attached as a flattened DevTools session: navigate, evaluate, screenshot.</summary>
public sealed class BrowserTab
{
    private readonly DevToolsConnection _connection;
    private readonly string _sessionId;
    private readonly int _width;

    private BrowserTab(DevToolsConnection connection, string sessionId, int width)
    {
        _connection = connection;
        _sessionId = sessionId;
        _width = width;
    }

    /// <summary>Opens a blank page with a viewport of <paramref name="width"/> × <paramref name="height"/> CSS pixels.</summary>
    public static async Task<BrowserTab> OpenAsync(HeadlessChromium browser, int width, int height, CancellationToken cancellationToken)
    {
        var connection = browser.Connection;
        var target = await connection.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, cancellationToken: cancellationToken);
        var attached = await connection.SendAsync("Target.attachToTarget",
            new JsonObject { ["targetId"] = (string?)target["targetId"], ["flatten"] = true }, cancellationToken: cancellationToken);
        var tab = new BrowserTab(connection, (string)attached["sessionId"]!, width);
        await tab.SendAsync("Page.enable", null, cancellationToken);
        await tab.ResizeAsync(height, cancellationToken);
        return tab;
    }

    /// <summary>Loads <paramref name="url"/> and waits for its load event (images included).</summary>
    public async Task NavigateAsync(Uri url, CancellationToken cancellationToken)
    {
        var loaded = _connection.WaitForEventAsync("Page.loadEventFired", _sessionId, cancellationToken);
        var navigation = await SendAsync("Page.navigate", new JsonObject { ["url"] = url.AbsoluteUri }, cancellationToken);
        if (navigation["errorText"] is JsonNode error) throw new InvalidOperationException($"Navigating to {url} failed: {error}");
        await loaded;
    }

    /// <summary>Evaluates a JavaScript expression in the page and returns its value (JSON-serialisable results only).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, CancellationToken cancellationToken)
    {
        var evaluation = await SendAsync("Runtime.evaluate",
            new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true }, cancellationToken);
        if (evaluation["exceptionDetails"] is JsonNode exception) throw new InvalidOperationException($"The page script failed: {exception.ToJsonString()}");
        return evaluation["result"]?["value"];
    }

    /// <summary>A PNG of the whole page (the viewport grown to the content height, at most <paramref name="maxHeight"/>).</summary>
    public async Task<byte[]> CaptureFullPageAsync(int maxHeight, CancellationToken cancellationToken)
    {
        var metrics = await SendAsync("Page.getLayoutMetrics", null, cancellationToken);
        var contentHeight = (double?)metrics["cssContentSize"]?["height"] ?? 1000;
        await ResizeAsync((int)Math.Min(Math.Ceiling(contentHeight), maxHeight), cancellationToken);
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" }, cancellationToken);
        return Convert.FromBase64String((string)shot["data"]!);
    }

    private Task ResizeAsync(int height, CancellationToken cancellationToken) =>
        SendAsync("Emulation.setDeviceMetricsOverride",
            new JsonObject { ["width"] = _width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false }, cancellationToken);

    private Task<JsonObject> SendAsync(string method, JsonObject? parameters, CancellationToken cancellationToken) =>
        _connection.SendAsync(method, parameters, _sessionId, cancellationToken);
}
