using System.Diagnostics;
using System.Text;

namespace AlignedGen.Reporting.Tests.Browser;

/// <summary>
/// Debian's Chromium started headless with a DevTools port of its choosing (read from DevToolsActivePort in a fresh
/// user-data folder) and connected over the DevTools protocol. Disposing kills the browser it started and deletes the folder.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _userDataFolder;
    private readonly StringBuilder _errors;

    private HeadlessChromium(Process process, string userDataFolder, StringBuilder errors, DevToolsConnection connection)
    {
        _process = process;
        _userDataFolder = userDataFolder;
        _errors = errors;
        Connection = connection;
    }

    /// <summary>The browser-level DevTools connection.</summary>
    public DevToolsConnection Connection { get; }

    /// <summary>$CHROMIUM_PATH, else /usr/bin/chromium or /usr/bin/chromium-browser; null when none exists.</summary>
    public static string? FindExecutable()
    {
        var configured = Environment.GetEnvironmentVariable("CHROMIUM_PATH");
        if (!string.IsNullOrEmpty(configured)) return File.Exists(configured) ? configured : null;
        return new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
    }

    /// <summary>Starts <paramref name="executable"/> headless and connects to it.</summary>
    public static async Task<HeadlessChromium> StartAsync(string executable, CancellationToken cancellationToken)
    {
        var userData = Path.Combine(Path.GetTempPath(), $"alignedgen-chromium-{Guid.NewGuid():N}");
        Directory.CreateDirectory(userData);
        var start = new ProcessStartInfo(executable) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--hide-scrollbars", "--remote-debugging-port=0",
                     $"--user-data-dir={userData}", "about:blank",
                 })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
        var errors = new StringBuilder();
        process.ErrorDataReceived += (_, e) => { lock (errors) errors.AppendLine(e.Data); };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var endpoint = await ReadEndpointAsync(Path.Combine(userData, "DevToolsActivePort"), process, errors, cancellationToken);
            var connection = await DevToolsConnection.ConnectAsync(endpoint, cancellationToken);
            return new HeadlessChromium(process, userData, errors, connection);
        }
        catch
        {
            Stop(process, userData);
            throw;
        }
    }

    /// <summary>What the browser printed on stderr so far (for failure messages).</summary>
    public string ErrorOutput
    {
        get { lock (_errors) return _errors.ToString(); }
    }

    private static async Task<Uri> ReadEndpointAsync(string portFile, Process process, StringBuilder errors, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
                throw new InvalidOperationException($"Chromium exited with code {process.ExitCode} before opening its DevTools port: {errors}");
            if (File.Exists(portFile))
            {
                var lines = (await File.ReadAllLinesAsync(portFile, cancellationToken)).Where(l => l.Length > 0).ToArray();
                if (lines.Length >= 2) return new Uri($"ws://127.0.0.1:{lines[0]}{lines[1]}");
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    private static void Stop(Process process, string userData)
    {
        try { if (!process.HasExited) process.Kill(entireProcessTree: true); process.WaitForExit(5000); }
        catch (InvalidOperationException) { }
        process.Dispose();
        try { Directory.Delete(userData, recursive: true); }
        catch (IOException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        Stop(_process, _userDataFolder);
    }
}
