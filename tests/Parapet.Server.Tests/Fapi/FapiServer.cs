using System.Net;
using System.Text.Json.Nodes;
using Parapet.Server.Tests.Infrastructure;
using Parapet.Server.Tests.JwtAuth;

namespace Parapet.Server.Tests.Fapi;

/// <summary>Which switch puts the client under FAPI 2.0: none, the server's <c>fapiCompatibility</c>, or the client's <c>fapi_compatibility</c>.</summary>
public enum FapiMode
{
    Off,
    Server,
    Client,
}

/// <summary>
/// A server with a <c>private_key_jwt</c> client <see cref="ClientId"/> (FAPI-capable), a <c>client_secret_basic</c> client
/// <see cref="SecretClientId"/> and a public client <see cref="PublicClientId"/> (both made before the server switch goes on:
/// under it new ones are refused), and a user; then the <paramref name="mode"/>'s switch.
/// </summary>
internal static class FapiServer
{
    public const string ClientId = "fapi";
    public const string SecretClientId = "secret";
    public const string PublicClientId = "public";
    public static readonly ClientKey Key = ClientKey.Rsa("fapi-rsa");
    public static readonly ClientKey EcKey = ClientKey.Ec("fapi-ec");

    public static async Task<ParapetTestServer> StartAsync(FapiMode mode, JsonObject? metadata = null)
    {
        var server = await ParapetTestServer.StartAsync();
        var client = new JsonObject
        {
            ["token_endpoint_auth_method"] = "private_key_jwt",
            ["jwks"] = ClientKey.Set(Key, EcKey),
            ["grant_types"] = new JsonArray("authorization_code", "refresh_token", "client_credentials"),
            ["fapi_compatibility"] = mode == FapiMode.Client,
        };
        foreach (var (name, value) in metadata ?? [])
        {
            client[name] = value?.DeepClone();
        }
        await server.CreateClientAsync(ClientId, client);
        await server.CreateClientAsync(SecretClientId, new JsonObject { ["grant_types"] = new JsonArray("authorization_code", "client_credentials") });
        await server.CreateClientAsync(PublicClientId, new JsonObject { ["token_endpoint_auth_method"] = "none" });
        await server.CreateUserAsync(Steps.Username);
        await server.SwitchOnAsync(mode);
        return server;
    }

    /// <summary>Turns on the server's <c>fapiCompatibility</c> for <see cref="FapiMode.Server"/> (the client flag is set when a client is made).</summary>
    public static async Task SwitchOnAsync(this ParapetTestServer server, FapiMode mode)
    {
        if (mode == FapiMode.Server)
        {
            await server.PatchPropertiesAsync("""[{"op":"replace","path":"/fapiCompatibility","value":true}]""");
        }
    }

    /// <summary>A fresh client assertion for <see cref="ClientId"/> (aud the server's issuer, PS256 unless another key is given).</summary>
    public static string Assertion(this ParapetTestServer server, ClientKey? key = null, params (string, JsonNode?)[] overrides) =>
        Jwts.Sign(Jwts.AssertionClaims(ClientId, server.Time.GetUtcNow(), [("aud", server.IssuerUrl), .. overrides]), key ?? Key);

    /// <summary>POST /par as <see cref="ClientId"/> with a private_key_jwt assertion.</summary>
    public static Task<HttpResponseMessage> PushWithKeyAsync(this ParapetTestServer server, params (string Name, string? Value)[] overrides) =>
        server.PostParAsync(Steps.PushParameters([.. overrides, .. Jwts.AssertionForm(server.Assertion())]), null);

    public static async Task<string> RequestUriAsync(this ParapetTestServer server, params (string Name, string? Value)[] overrides)
    {
        using var response = await server.PushWithKeyAsync(overrides);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!["request_uri"]!.GetValue<string>();
    }

    /// <summary>POST /token as <see cref="ClientId"/> with a private_key_jwt assertion (and whatever headers <paramref name="configure"/> adds).</summary>
    public static async Task<HttpResponseMessage> TokenWithKeyAsync(this ParapetTestServer server, IEnumerable<(string Name, string Value)> form, Action<HttpRequestMessage>? configure = null)
    {
        using var http = server.CreateClient();
        return await server.TokenWithKeyAsync(http, form, configure);
    }

    /// <summary>The same over <paramref name="http"/> (e.g. the mTLS listener with a certificate).</summary>
    public static async Task<HttpResponseMessage> TokenWithKeyAsync(this ParapetTestServer server, HttpClient http, IEnumerable<(string Name, string Value)> form, Action<HttpRequestMessage>? configure = null)
    {
        var body = form.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))
            .Concat(Jwts.AssertionForm(server.Assertion()).Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2!)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "token") { Content = new FormUrlEncodedContent(body) };
        configure?.Invoke(request);
        return await http.SendAsync(request);
    }

    public static (string, string)[] RedeemForm(string code) =>
        [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", ParapetTestServer.RedirectUri), ("code_verifier", Pkce.Verifier)];
}
