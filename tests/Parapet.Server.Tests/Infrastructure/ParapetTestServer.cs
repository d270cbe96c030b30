using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Parapet.Hosting;

namespace Parapet.Server.Tests.Infrastructure;

/// <summary>
/// A whole Parapet in process: a real SQLite file in a fresh temp directory, the real pipeline on ASP.NET Core's test server,
/// a fake clock, and captured logs. Each test makes its own, so nothing leaks between tests.
/// </summary>
public sealed partial class ParapetTestServer : IAsyncDisposable
{
    public const string Issuer = "http://localhost";
    public const string ClientSecret = "s3cret-s3cret-s3cret-s3cret-s3cret";
    public const string RedirectUri = "https://client.example/cb";
    public const string UserPassword = "correct-horse-battery";

    private readonly WebApplication _app;

    public FakeTimeProvider Time { get; }
    public FakeLogCollector Logs { get; }
    public string DataDir { get; }
    public IServiceProvider Services => _app.Services;

    private readonly bool _ownsDataDir;

    private ParapetTestServer(WebApplication app, FakeTimeProvider time, FakeLogCollector logs, string dataDir, bool ownsDataDir)
    {
        _app = app;
        _ownsDataDir = ownsDataDir;
        Time = time;
        Logs = logs;
        DataDir = dataDir;
    }

    /// <param name="services">Replaces services for one test (e.g. the HTTP handler behind a client's jwks_uri).</param>
    /// <param name="sharedDataDir">Another server's data directory: a second node on the same database (left for its owner to delete).</param>
    public static async Task<ParapetTestServer> StartAsync(Action<IServiceCollection>? services = null, string? sharedDataDir = null)
    {
        var dataDir = sharedDataDir ?? Path.Combine(Path.GetTempPath(), "parapet-tests", Guid.NewGuid().ToString("N"));
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = new ServerOptions { Urls = Issuer, DataDir = dataDir };
        var app = ParapetApp.Build(options, builder =>
        {
            builder.WebHost.UseTestServer();
            ConfigureForTests(builder, time, services);
        });
        await Bootstrap.RunAsync(app, options, CancellationToken.None);
        await app.StartAsync();
        return new ParapetTestServer(app, time, app.Services.GetRequiredService<FakeLogCollector>(), dataDir, ownsDataDir: sharedDataDir is null);
    }

    private static void ConfigureForTests(WebApplicationBuilder builder, FakeTimeProvider time, Action<IServiceCollection>? services)
    {
        builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddFakeLogging();
        services?.Invoke(builder.Services);
    }

    /// <summary>A client that does not follow redirects and keeps cookies (one "browser").</summary>
    public HttpClient CreateBrowser()
    {
        if (Kestrel is not null)
        {
            return new HttpClient(new CookieContainerHandler(Kestrel.Handler(null))) { BaseAddress = Kestrel.BaseAddress };
        }
        var server = _app.GetTestServer();
        var cookies = new CookieContainerHandler(server.CreateHandler());
        return new HttpClient(cookies) { BaseAddress = server.BaseAddress };
    }

    /// <summary>A plain HTTP client (no cookies).</summary>
    public HttpClient CreateClient() => Kestrel is null ? _app.GetTestClient() : new HttpClient(Kestrel.Handler(null)) { BaseAddress = Kestrel.BaseAddress };

    public async Task<HttpClient> CreateAdminClientAsync()
    {
        var credentials = AdminCredentials.Read(DataDir)!;
        using var http = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "parapet.admin" }),
        };
        request.Headers.Authorization = Basic(credentials.ClientId, credentials.ClientSecret);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
        var admin = CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return admin;
    }

    /// <summary>Registers a client through the admin API. <paramref name="metadata"/> members override the defaults.</summary>
    public async Task<JsonObject> CreateClientAsync(string clientId, JsonObject? metadata = null)
    {
        var body = new JsonObject
        {
            ["client_id"] = clientId,
            ["redirect_uris"] = new JsonArray(RedirectUri),
            ["client_secret"] = ClientSecret,
            ["token_endpoint_auth_method"] = "client_secret_basic",
        };
        foreach (var (name, value) in metadata ?? [])
        {
            body[name] = value?.DeepClone();
        }
        if (body["token_endpoint_auth_method"]?.GetValue<string>() == "none")
        {
            body.Remove("client_secret");
        }
        using var admin = await CreateAdminClientAsync();
        using var response = await admin.PostAsJsonAsync("/admin/v1/clients", body);
        var json = await response.Content.ReadFromJsonAsync<JsonObject>();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating client failed: {json}");
        }
        return json!;
    }

    public async Task CreateUserAsync(string username, string password = UserPassword)
    {
        using var admin = await CreateAdminClientAsync();
        using var response = await admin.PostAsJsonAsync("/admin/v1/users", new { username, password, name = "Test " + username, email = username + "@example.com" });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Applies a JSON Patch to the properties through the admin API.</summary>
    public async Task PatchPropertiesAsync(string patchJson)
    {
        using var admin = await CreateAdminClientAsync();
        using var content = new StringContent(patchJson, Encoding.UTF8, "application/json-patch+json");
        using var response = await admin.PatchAsync("/admin/v1/config", content);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Patch failed: {await response.Content.ReadAsStringAsync()}");
        }
    }

    public static AuthenticationHeaderValue Basic(string id, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(id)}:{Uri.EscapeDataString(secret)}")));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (!_ownsDataDir)
        {
            return;
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS temp cleaner.
        }
    }
}
