using System.Diagnostics;
using System.Text;

namespace Parapet.EndToEnd.Infrastructure;

/// <summary>
/// A Node.js script from <c>StockClients/</c> run as a separate process: the stock JavaScript client libraries are used as
/// their users use them. The script talks through lines: it prints <c>AUTHORIZE url</c>, reads one line, prints <c>RESULT json</c>.
/// Its package (a vendored tarball) is installed offline on first use.
/// </summary>
public sealed class NodeClient : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private NodeClient(Process process)
    {
        _process = process;
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
    }

    public static string Folder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "Parapet.EndToEnd", "StockClients");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
            throw new DirectoryNotFoundException("tests/Parapet.EndToEnd/StockClients not found above " + AppContext.BaseDirectory);
        }
    }

    public static async Task<NodeClient> StartAsync(string script, IReadOnlyDictionary<string, string> environment)
    {
        await InstallAsync();
        var start = new ProcessStartInfo("node", script)
        {
            WorkingDirectory = Folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return new NodeClient(Process.Start(start)!);
    }

    /// <summary>Reads lines until one starts with <paramref name="prefix"/>; fails with the script's stderr when it ends first.</summary>
    public async Task<string> ReadAsync(string prefix, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var line = await _process.StandardOutput.ReadLineAsync(cts.Token);
            if (line is null)
            {
                await _process.WaitForExitAsync(cts.Token);
                throw new InvalidOperationException($"The script ended (exit {_process.ExitCode}) before '{prefix}': {Errors}");
            }
            if (line.StartsWith(prefix + " ", StringComparison.Ordinal))
            {
                return line[(prefix.Length + 1)..];
            }
        }
    }

    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    private static async Task InstallAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(Folder, "node_modules", "oauth4webapi")))
            {
                return;
            }
            using var npm = Process.Start(new ProcessStartInfo("npm", "install --offline --no-audit --no-fund")
            {
                WorkingDirectory = Folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var errors = npm.StandardError.ReadToEndAsync();
            await npm.StandardOutput.ReadToEndAsync();
            await npm.WaitForExitAsync();
            Assert.True(npm.ExitCode == 0, "npm install in StockClients failed: " + await errors);
        }
        finally
        {
            InstallLock.Release();
        }
    }
}
