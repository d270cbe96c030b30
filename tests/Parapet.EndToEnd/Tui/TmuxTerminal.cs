using System.Diagnostics;

namespace Parapet.EndToEnd.Tui;

/// <summary>
/// A real 80×24 terminal: a detached tmux session on its own socket (so nothing else's tmux is touched), driven with
/// <c>send-keys</c> and read with <c>capture-pane -p</c>. Every wait polls the screen until a deadline; nothing sleeps.
/// </summary>
public sealed class TmuxTerminal : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private readonly string _socket = "parapet-tui-" + Guid.NewGuid().ToString("N")[..12];

    private TmuxTerminal()
    {
    }

    /// <summary>Runs <paramref name="command"/> in a new 80×24 session with TERM=xterm-256color.</summary>
    public static TmuxTerminal Start(string command, int width = 80, int height = 24)
    {
        RequireTmux();
        var terminal = new TmuxTerminal();
        terminal.Tmux("new-session", "-d", "-s", "tui", "-x", width.ToString(), "-y", height.ToString(),
            "-e", "TERM=xterm-256color", $"TERM=xterm-256color {command}; echo '[exited '$?']'; sleep 600");
        return terminal;
    }

    public string Screen() => Tmux("capture-pane", "-p", "-t", "tui");

    /// <summary>tmux key names (Enter, Escape, Down, Space, C-q) or literal text, one argument each.</summary>
    public void Keys(params string[] keys)
    {
        foreach (var key in keys)
        {
            Tmux("send-keys", "-t", "tui", key);
        }
    }

    /// <summary>Types text literally (no key-name lookup).</summary>
    public void Type(string text) => Tmux("send-keys", "-t", "tui", "-l", text);

    public void Resize(int width, int height) => Tmux("resize-window", "-t", "tui", "-x", width.ToString(), "-y", height.ToString());

    /// <summary>Polls the screen until it contains <paramref name="text"/>; fails with the last screen.</summary>
    public async Task<string> WaitForAsync(string text, TimeSpan? timeout = null) =>
        await WaitForAsync(screen => screen.Contains(text, StringComparison.Ordinal), $"'{text}'", timeout);

    public async Task<string> WaitForAsync(Func<string, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        var screen = "";
        while (DateTime.UtcNow < deadline)
        {
            screen = Screen();
            if (condition(screen))
            {
                return screen;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"The screen never showed {what}. Last screen:\n{screen}");
    }

    public void Dispose()
    {
        try
        {
            Tmux("kill-server");
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>With CI=true a missing tmux is a failure (DESIGN §9); without it the message says how to install it.</summary>
    private static void RequireTmux()
    {
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("tmux", "-V") { RedirectStandardOutput = true, RedirectStandardError = true })!;
            probe.WaitForExit();
            if (probe.ExitCode == 0)
            {
                return;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Not installed.
        }
        var ci = Environment.GetEnvironmentVariable("CI") == "true" ? " (CI=true: a missing component is a failure)" : "";
        Assert.Fail($"tmux is required for the TUI tests and was not found{ci}. Install it: apt-get install -y tmux");
    }

    private string Tmux(params string[] args)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(_socket);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tmux {string.Join(' ', args)}: {error}");
        }
        return output;
    }
}
