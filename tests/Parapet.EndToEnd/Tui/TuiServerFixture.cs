using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Parapet.EndToEnd.Tui;

/// <summary>
/// A real <c>parapet serve</c> process on a free loopback port with its own temporary data directory, for the TUI tests:
/// the TUI finds it through the admin-credentials.json the server writes there, exactly as an operator's would.
/// </summary>
public sealed class TuiServerFixture : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private TuiServerFixture(Process process, string url, string dataDir)
    {
        _process = process;
        Url = url;
        DataDir = dataDir;
        Http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(15) };
    }

    public string Url { get; }
    public string DataDir { get; }
    public HttpClient Http { get; }

    /// <summary>The server's output so far, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>src/Parapet/bin/Debug/net10.0/parapet.dll, built before this project through its ProjectReference.</summary>
    public static string ParapetDll { get; } = FindParapetDll();

    public static async Task<TuiServerFixture> StartAsync()
    {
        // A port free when probed may be taken by another process before the server binds it: then start over on another.
        for (var attempt = 1; ; attempt++)
        {
            var fixture = Launch();
            try
            {
                await fixture.WaitUntilReadyAsync();
                return fixture;
            }
            catch (InvalidOperationException) when (attempt < 3 && fixture.Log.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await fixture.DisposeAsync();
            }
        }
    }

    private static TuiServerFixture Launch()
    {
        var port = FreePorts.Next();
        var url = $"http://127.0.0.1:{port}";
        var dataDir = Directory.CreateTempSubdirectory("parapet-tui-").FullName;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { ParapetDll, "serve", "--urls", url, "--data-dir", dataDir })
        {
            start.ArgumentList.Add(arg);
        }
        var fixture = new TuiServerFixture(Process.Start(start)!, url, dataDir);
        fixture._process.OutputDataReceived += (_, e) => fixture.Append(e.Data);
        fixture._process.ErrorDataReceived += (_, e) => fixture.Append(e.Data);
        fixture._process.BeginOutputReadLine();
        fixture._process.BeginErrorReadLine();
        return fixture;
    }

    /// <summary>GET or another call on the admin API as the bootstrap admin client; the JSON answer and its ETag.</summary>
    public async Task<(JsonNode? Body, string? ETag)> AdminAsync(HttpMethod method, string path, JsonNode? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, "/admin/v1" + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await AdminTokenAsync());
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, contentType);
        }
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return (text.Length == 0 ? null : JsonNode.Parse(text), response.Headers.ETag?.Tag);
    }

    public async Task<JsonObject> DiscoveryAsync() =>
        (await Http.GetFromJsonAsync<JsonObject>("/.well-known/openid-configuration"))!;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left to the system's temp cleanup.
        }
    }

    private async Task<string> AdminTokenAsync()
    {
        var credentials = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(DataDir, "admin-credentials.json")))!;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", "parapet.admin")]),
        };
        var basic = $"{Uri.EscapeDataString((string)credentials["client_id"]!)}:{Uri.EscapeDataString((string)credentials["client_secret"]!)}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        using var response = await Http.SendAsync(request);
        var token = await response.Content.ReadFromJsonAsync<JsonObject>();
        return (string?)token?["access_token"] ?? throw new InvalidOperationException($"No admin token: {token}");
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                _process.WaitForExit(); // the output read so far, completed
                throw new InvalidOperationException($"parapet serve exited with {_process.ExitCode}:\n{Log}");
            }
            try
            {
                // This server's discovery, not merely a 200: a redirect target of another test answers every path with a page.
                using var response = await Http.GetAsync("/.well-known/openid-configuration");
                if (response.StatusCode == HttpStatusCode.OK && await IssuerAsync(response) == Url && File.Exists(Path.Combine(DataDir, "admin-credentials.json")))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"parapet serve did not answer on {Url} within {StartTimeout.TotalSeconds} s:\n{Log}");
    }

    private static async Task<string?> IssuerAsync(HttpResponseMessage response)
    {
        try
        {
            return (await response.Content.ReadFromJsonAsync<JsonObject>())?["issuer"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }


    private static string FindParapetDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Parapet.slnx")))
            {
                var dll = Path.Combine(dir.FullName, "src", "Parapet", "bin", "Debug", "net10.0", "parapet.dll");
                return File.Exists(dll) ? dll : throw new FileNotFoundException($"Build src/Parapet first: {dll} is missing.");
            }
        }
        throw new DirectoryNotFoundException($"No Parapet.slnx above {AppContext.BaseDirectory}.");
    }
}
