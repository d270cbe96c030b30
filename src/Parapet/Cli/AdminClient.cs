using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parapet.Cli;

/// <summary>An answer of the admin API: its JSON body (null for 204) and ETag.</summary>
internal sealed record AdminResponse(JsonNode? Body, string? ETag);

/// <summary>
/// Speaks the admin API like any other client of it (DESIGN §6): a client_credentials token with the
/// <c>parapet.admin</c> scope, then Bearer requests. A refusal becomes a <see cref="CliError"/> carrying the server's words.
/// </summary>
internal sealed class AdminClient
{
    public const string Scope = "parapet.admin";

    private readonly HttpClient _http;
    private readonly Connection _connection;
    private string _accessToken;

    private AdminClient(HttpClient http, Connection connection, string accessToken)
    {
        _http = http;
        _connection = connection;
        _accessToken = accessToken;
    }

    /// <summary>The server this client speaks to, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public string Server => _connection.Server;

    public static async Task<AdminClient> ConnectAsync(HttpClient http, Connection connection, CancellationToken ct) =>
        new(http, connection, await RequestTokenAsync(http, connection, ct));

    private static async Task<string> RequestTokenAsync(HttpClient http, Connection connection, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, connection.Server + "/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", Scope)]),
        };
        // RFC 6749 §2.3.1: the id and secret are form-encoded before they are joined for Basic authentication.
        var basic = $"{Uri.EscapeDataString(connection.ClientId)}:{Uri.EscapeDataString(connection.ClientSecret)}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(basic)));
        using var response = await SendAsync(http, request, connection.Server, ct);
        var body = await ReadJsonAsync(response, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new CliError($"The server refused the admin credentials: {Describe(response, body)}");
        }
        return body?["access_token"]?.GetValue<string>() ?? throw new CliError("The token endpoint answered without an access_token.");
    }

    public Task<AdminResponse> GetAsync(string path, CancellationToken ct) => SendAsync(HttpMethod.Get, path, null, ct);

    public Task<AdminResponse> SendJsonAsync(HttpMethod method, string path, JsonNode body, CancellationToken ct, string contentType = "application/json", string? ifMatch = null) =>
        SendAsync(method, path, new StringContent(body.ToJsonString(), Encoding.UTF8, contentType), ct, ifMatch);

    public async Task<AdminResponse> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct, string? ifMatch = null)
    {
        // Buffered so the request can be sent again: a long-running client (the TUI) outlives its access token.
        var bytes = content is null ? null : await content.ReadAsByteArrayAsync(ct);
        var contentType = content?.Headers.ContentType;
        content?.Dispose();
        var response = await SendOnceAsync(method, path, bytes, contentType, ifMatch, ct);
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            response.Dispose();
            _accessToken = await RequestTokenAsync(_http, _connection, ct);
            response = await SendOnceAsync(method, path, bytes, contentType, ifMatch, ct);
        }
        using var _ = response;
        var body = await ReadJsonAsync(response, ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new CliError(Describe(response, body));
        }
        return new AdminResponse(body, response.Headers.ETag?.Tag);
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpMethod method, string path, byte[]? body, MediaTypeHeaderValue? contentType, string? ifMatch, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, _connection.Server + "/admin/v1" + path);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = contentType;
        }
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _accessToken);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return await SendAsync(_http, request, _connection.Server, ct);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, string server, CancellationToken ct)
    {
        try
        {
            return await http.SendAsync(request, ct);
        }
        catch (HttpRequestException e)
        {
            throw new CliError($"Cannot reach {server}: {e.Message}");
        }
    }

    private static async Task<JsonNode?> ReadJsonAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>RFC 9457 <c>detail</c> from the admin API, RFC 6749 <c>error_description</c> from the token endpoint, else the status.</summary>
    private static string Describe(HttpResponseMessage response, JsonNode? body)
    {
        string? Member(string name) => body is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        return Member("detail") ?? Member("error_description") ?? Member("error") ?? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
    }
}
