using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Parapet.Protocol.Errors;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Mtls;

/// <summary>Steps of the mTLS tests: a server with the test CA trusted, and requests over either listener with a certificate.</summary>
public static class MtlsSteps
{
    /// <summary>A Kestrel server with https, an mTLS listener and the test CA as trust anchor.</summary>
    public static Task<ParapetTestServer> ServerAsync(bool trustCa = true) =>
        ParapetTestServer.StartOnKestrelAsync(o => trustCa ? o with { MtlsTrustCa = TestCertificates.WriteCaBundle(o.DataDir + "-ca") } : o);

    /// <summary>A client that authenticates with the client_credentials grant and, for /par, the code flow.</summary>
    public static Task<JsonObject> CreateMtlsClientAsync(this ParapetTestServer server, string clientId, string method, JsonObject metadata)
    {
        metadata["token_endpoint_auth_method"] = method;
        metadata["grant_types"] = new JsonArray("authorization_code", "refresh_token", "client_credentials");
        return server.CreateClientAsync(clientId, metadata);
    }

    /// <summary>POST /par with only client_id in the body, as the TLS methods do (RFC 8705 §2).</summary>
    public static async Task<HttpResponseMessage> PushAsync(HttpClient http, string clientId, AuthenticationHeaderValue? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "par")
        {
            Content = new FormUrlEncodedContent(Steps.PushParameters(("client_id", authorization is null ? clientId : null))),
        };
        request.Headers.Authorization = authorization;
        return await http.SendAsync(request);
    }

    /// <summary>The two endpoints every client-authentication method must pass and fail at (DESIGN §2.4).</summary>
    public static readonly string[] Endpoints = ["par", "token"];

    /// <summary>A push (<c>par</c>) or a client_credentials token request (<c>token</c>) with only client_id.</summary>
    public static Task<HttpResponseMessage> AuthenticateAtAsync(string endpoint, HttpClient http, string clientId) =>
        endpoint == "par" ? PushAsync(http, clientId) : ClientCredentialsAsync(http, clientId);

    /// <summary>POST /token with the client_credentials grant and only client_id (unless Basic is given).</summary>
    public static Task<HttpResponseMessage> ClientCredentialsAsync(HttpClient http, string clientId, AuthenticationHeaderValue? authorization = null) =>
        TokenAsync(http, clientId, authorization, ("grant_type", "client_credentials"), ("scope", "profile"));

    public static async Task<HttpResponseMessage> TokenAsync(HttpClient http, string clientId, AuthenticationHeaderValue? authorization, params (string Name, string Value)[] form)
    {
        var fields = form.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)).ToList();
        if (authorization is null)
        {
            fields.Add(new("client_id", clientId));
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, "token") { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Authorization = authorization;
        return await http.SendAsync(request);
    }

    public static async Task<string> AccessTokenAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!["access_token"]!.GetValue<string>();
    }

    /// <summary>The access token's cnf."x5t#S256", or null.</summary>
    public static string? BoundThumbprint(string accessToken) =>
        JsonNode.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(new JsonWebToken(accessToken).EncodedPayload))?["cnf"]?["x5t#S256"]?.GetValue<string>();

    /// <summary>401 invalid_client, and the log line that says why.</summary>
    public static async Task AssertAuthenticationFailedAsync(ParapetTestServer server, HttpResponseMessage response, string logDetail)
    {
        var expected = OAuthErrors.ClientAuthenticationFailed(basicTried: false);
        await Steps.AssertErrorAsync(response, HttpStatusCode.Unauthorized, expected.Code, expected.Description);
        Assert.Contains(server.Logs.GetSnapshot(), r => r.Message.Contains(logDetail, StringComparison.Ordinal));
    }

    public static async Task<HttpResponseMessage> UserInfoAsync(HttpClient http, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await http.SendAsync(request);
    }
}
