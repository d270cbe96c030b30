using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parapet.EndToEnd.Infrastructure;

/// <summary>
/// The real <c>parapet serve</c> process on a free loopback port with its own data directory, reached only over HTTP:
/// the admin API (with the credentials the server writes at first start) to arrange, the OAuth endpoints to act.
/// One per test class (xunit class fixture); killed, and its data directory deleted, at the end.
/// </summary>
public sealed class ParapetProcess : IAsyncLifetime
{
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);
    private readonly StringBuilder _output = new();
    private Process? _process;

    public string DataDir { get; init; } = Path.Combine(Path.GetTempPath(), "parapet-e2e", Guid.NewGuid().ToString("N"));

    /// <summary>Leave the data directory on disposal (a restarted node reuses it).</summary>
    public bool KeepDataDir { get; init; }

    /// <summary>More <c>serve</c> arguments, e.g. <c>--db</c> for a node of a PostgreSQL cluster.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>For a node joining a shared database: the admin credentials the first node wrote.</summary>
    public AdminCredentials? SharedAdmin { get; init; }
    public Uri BaseAddress { get; private set; } = null!;
    public string Issuer => BaseAddress.ToString().TrimEnd('/');
    public AdminCredentials Admin { get; private set; } = null!;

    /// <summary>The server's PID (unchanged when it starts itself over with its runtime settings).</summary>
    public int ProcessId => _process!.Id;

    /// <summary>Plain HTTP to the server: no cookies, no redirects followed.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>The server binary of this build's configuration (src/Parapet/bin/&lt;Configuration&gt;/net10.0/parapet.dll).</summary>
    public static string ParapetDll
    {
        get
        {
            var path = typeof(ParapetProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "ParapetDll").Value!;
            return File.Exists(path) ? path : throw new FileNotFoundException($"The server binary {path} is missing; build the solution first (bash test.sh does).", path);
        }
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDir);
        var port = FreePorts.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _process = StartDotnet(["serve", "--urls", Issuer, "--data-dir", DataDir, .. ExtraArgs], _output);
        Http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };
        await WaitUntilHealthyAsync();
        if (SharedAdmin is not null)
        {
            Admin = SharedAdmin;
            return;
        }
        Admin = JsonSerializer.Deserialize<AdminCredentials>(await File.ReadAllTextAsync(Path.Combine(DataDir, "admin-credentials.json")))!;
        Assert.Equal(Issuer, Admin.Server);
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        if (KeepDataDir)
        {
            return;
        }
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open at exit; the temp directory is cleaned by the OS eventually.
        }
    }

    /// <summary>SIGKILL, as a crashed or killed node: no shutdown, no flushing.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>What the server printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        var deadline = DateTime.UtcNow + StartDeadline;
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"parapet exited with code {_process.ExitCode} before it was ready:\n{Output}");
            }
            try
            {
                // Parapet's own answer, not merely a 200: a redirect target of another test answers every path with a page.
                using var response = await Http.GetAsync("/health");
                if (response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadAsStringAsync()).Contains("\"status\":\"ok\"", StringComparison.Ordinal)
                    && (SharedAdmin is not null || File.Exists(Path.Combine(DataDir, "admin-credentials.json"))))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"parapet did not answer /health within {StartDeadline.TotalSeconds} s:\n{Output}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>Runs <c>dotnet parapet.dll ARGS</c> to completion (a CLI command) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunCliAsync(params string[] args)
    {
        var output = new StringBuilder();
        using var process = StartDotnet(args, output);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        process.WaitForExit(); // flushes the asynchronous output readers
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    private static Process StartDotnet(IEnumerable<string> args, StringBuilder output)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ParapetDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // The server must not pick up a developer's PARAPET_* settings; the arguments say everything.
        foreach (var name in new[] { "PARAPET_URLS", "PARAPET_DATA_DIR", "PARAPET_DB", "PARAPET_KEY_ENCRYPTION_KEY", "PARAPET_TLS_CERT", "PARAPET_TLS_KEY", "PARAPET_TLS_SELF_SIGNED",
            "PARAPET_MTLS_URLS", "PARAPET_MTLS_TRUST_CA", "PARAPET_CLIENT_CERT_HEADER", "PARAPET_TRUSTED_PROXIES",
            "PARAPET_RUNTIME_TUNING", "PARAPET_RUNTIME_TUNED" })
        {
            start.Environment.Remove(name);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = new Process { StartInfo = start };
        DataReceivedEventHandler append = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        process.OutputDataReceived += append;
        process.ErrorDataReceived += append;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }


    // ---- Admin API -------------------------------------------------------------------------------------------------

    /// <summary>An HTTP client with a fresh admin access token (client_credentials, scope parapet.admin).</summary>
    public async Task<HttpClient> AdminClientAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "parapet.admin" }),
        };
        request.Headers.Authorization = Basic(Admin.ClientId, Admin.ClientSecret);
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.IsSuccessStatusCode, $"Admin token: {(int)response.StatusCode} {body}");
        var admin = new HttpClient { BaseAddress = BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body!["access_token"]!.GetValue<string>());
        return admin;
    }

    /// <summary>Registers a confidential client (client_secret_basic) for <paramref name="redirectUri"/>; <paramref name="extra"/> members override.</summary>
    public async Task<TestClient> CreateClientAsync(string redirectUri, JsonObject? extra = null, string prefix = "app")
    {
        var client = new TestClient($"{prefix}-{Guid.NewGuid():N}"[..24], "secret-" + Guid.NewGuid().ToString("N"), redirectUri);
        var body = new JsonObject
        {
            ["client_id"] = client.ClientId,
            ["client_name"] = "Example App",
            ["client_secret"] = client.ClientSecret,
            ["redirect_uris"] = new JsonArray(redirectUri),
            ["token_endpoint_auth_method"] = "client_secret_basic",
            ["scope"] = "openid profile email",
        };
        foreach (var (name, value) in extra ?? [])
        {
            body[name] = value?.DeepClone();
        }
        using var admin = await AdminClientAsync();
        using var response = await admin.PostAsJsonAsync("/admin/v1/clients", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Creating client: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>Registers an end user with a fresh name and password.</summary>
    public async Task<TestUser> CreateUserAsync()
    {
        var user = new TestUser("user-" + Guid.NewGuid().ToString("N")[..10], "pw-" + Guid.NewGuid().ToString("N"));
        using var admin = await AdminClientAsync();
        using var response = await admin.PostAsJsonAsync("/admin/v1/users",
            new { username = user.Username, password = user.Password, name = "Ada Lovelace", email = user.Username + "@example.com" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"Creating user: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return user;
    }

    /// <summary>PATCH /admin/v1/config with a JSON Patch document; returns the new properties document.</summary>
    public async Task<JsonObject> PatchConfigAsync(JsonArray patch)
    {
        using var admin = await AdminClientAsync();
        using var content = new StringContent(patch.ToJsonString(), Encoding.UTF8, "application/json-patch+json");
        using var response = await admin.PatchAsync("/admin/v1/config", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"PATCH /admin/v1/config: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public async Task<JsonObject> DiscoveryAsync()
    {
        using var response = await Http.GetAsync("/.well-known/openid-configuration");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static AuthenticationHeaderValue Basic(string clientId, string secret) =>
        // RFC 6749 §2.3.1: both parts form-urlencoded before Base64.
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));
}

public sealed record AdminCredentials(
    [property: System.Text.Json.Serialization.JsonPropertyName("server")] string Server,
    [property: System.Text.Json.Serialization.JsonPropertyName("client_id")] string ClientId,
    [property: System.Text.Json.Serialization.JsonPropertyName("client_secret")] string ClientSecret);

public sealed record TestClient(string ClientId, string ClientSecret, string RedirectUri);

public sealed record TestUser(string Username, string Password);
