using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parapet.Protocol.Clients;

/// <summary>
/// Client metadata on the wire (RFC 7591 / OIDC registration names, plus Janssen's <c>par_lifetime</c> and <c>require_par</c>).
/// Used by the admin API and by dynamic registration, so both validate alike.
/// </summary>
public sealed record ClientMetadata
{
    [JsonPropertyName("client_id")] public string? ClientId { get; init; }
    [JsonPropertyName("client_secret")] public string? ClientSecret { get; init; }
    [JsonPropertyName("client_name")] public string? ClientName { get; init; }
    [JsonPropertyName("redirect_uris")] public IReadOnlyList<string>? RedirectUris { get; init; }
    /// <summary>OIDC RP-Initiated Logout 1.0 §3.1: where <c>/end_session</c> may send the browser afterwards (exact match).</summary>
    [JsonPropertyName("post_logout_redirect_uris")] public IReadOnlyList<string>? PostLogoutRedirectUris { get; init; }
    [JsonPropertyName("token_endpoint_auth_method")] public string? TokenEndpointAuthMethod { get; init; }
    [JsonPropertyName("grant_types")] public IReadOnlyList<string>? GrantTypes { get; init; }
    [JsonPropertyName("response_types")] public IReadOnlyList<string>? ResponseTypes { get; init; }
    [JsonPropertyName("scope")] public string? Scope { get; init; }
    [JsonPropertyName("application_type")] public string? ApplicationType { get; init; }
    [JsonPropertyName("par_lifetime")] public int? ParLifetime { get; init; }
    [JsonPropertyName("require_par")] public bool? RequirePar { get; init; }
    [JsonPropertyName("require_pushed_authorization_requests")] public bool? RequirePushedAuthorizationRequests { get; init; }
    [JsonPropertyName("trusted")] public bool? Trusted { get; init; }
    [JsonPropertyName("allow_plain_pkce")] public bool? AllowPlainPkce { get; init; }
    /// <summary>RFC 9449 §5.2: the client always uses DPoP at the token endpoint (default false).</summary>
    [JsonPropertyName("dpop_bound_access_tokens")] public bool? DpopBoundAccessTokens { get; init; }
    [JsonPropertyName("disabled")] public bool? Disabled { get; init; }
    /// <summary>Parapet's per-client FAPI 2.0 switch: the server's <c>fapiCompatibility</c> for this client alone.</summary>
    [JsonPropertyName("fapi_compatibility")] public bool? FapiCompatibility { get; init; }
    /// <summary>RFC 7591 §2: the client's JSON Web Key Set by value; never together with <c>jwks_uri</c>.</summary>
    [JsonPropertyName("jwks")] public JsonElement? Jwks { get; init; }
    [JsonPropertyName("jwks_uri")] public string? JwksUri { get; init; }

    /// <summary>The metadata of a stored client, both PAR switch names out (DESIGN §3.2). Never the secret.</summary>
    public static ClientMetadata From(Client client) => new()
    {
        ClientId = client.ClientId,
        ClientName = client.ClientName,
        RedirectUris = client.RedirectUris,
        PostLogoutRedirectUris = client.PostLogoutRedirectUris,
        TokenEndpointAuthMethod = client.TokenEndpointAuthMethod,
        GrantTypes = client.GrantTypes,
        ResponseTypes = client.ResponseTypes,
        Scope = string.Join(' ', client.Scopes),
        ApplicationType = client.ApplicationType,
        ParLifetime = client.ParLifetime ?? 0,
        RequirePar = client.RequirePar,
        RequirePushedAuthorizationRequests = client.RequirePar,
        Trusted = client.Trusted,
        AllowPlainPkce = client.AllowPlainPkce,
        DpopBoundAccessTokens = client.DpopBoundAccessTokens,
        Disabled = client.Disabled,
        FapiCompatibility = client.FapiCompatibility,
        Jwks = client.Jwks is null ? null : JsonSerializer.Deserialize<JsonElement>(client.Jwks),
        JwksUri = client.JwksUri,
    };
}
