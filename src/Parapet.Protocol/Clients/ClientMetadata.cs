using System.Text.Json;
using System.Text.Json.Serialization;
using Parapet.Protocol.Clients.Certificates;

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
    /// <summary>RFC 8705 §2.1.2: a <c>tls_client_auth</c> client registers exactly one of these five certificate subjects.</summary>
    [JsonPropertyName("tls_client_auth_subject_dn")] public string? TlsClientAuthSubjectDn { get; init; }
    [JsonPropertyName("tls_client_auth_san_dns")] public string? TlsClientAuthSanDns { get; init; }
    [JsonPropertyName("tls_client_auth_san_uri")] public string? TlsClientAuthSanUri { get; init; }
    [JsonPropertyName("tls_client_auth_san_ip")] public string? TlsClientAuthSanIp { get; init; }
    [JsonPropertyName("tls_client_auth_san_email")] public string? TlsClientAuthSanEmail { get; init; }
    /// <summary>RFC 8705 §3.4: access tokens are bound to the client's TLS certificate.</summary>
    [JsonPropertyName("tls_client_certificate_bound_access_tokens")] public bool? TlsClientCertificateBoundAccessTokens { get; init; }

    /// <summary>The certificate subject fields that were sent, by wire name (RFC 8705 §2.1.2).</summary>
    [JsonIgnore]
    public IReadOnlyList<TlsClientAuthSubject> TlsClientAuthSubjects =>
        new (string Field, string? Value)[]
        {
            (TlsClientAuthSubject.SubjectDn, TlsClientAuthSubjectDn),
            (TlsClientAuthSubject.SanDns, TlsClientAuthSanDns),
            (TlsClientAuthSubject.SanUri, TlsClientAuthSanUri),
            (TlsClientAuthSubject.SanIp, TlsClientAuthSanIp),
            (TlsClientAuthSubject.SanEmail, TlsClientAuthSanEmail),
        }.Where(f => f.Value is not null).Select(f => new TlsClientAuthSubject(f.Field, f.Value!)).ToList();

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
        TlsClientAuthSubjectDn = Subject(client, TlsClientAuthSubject.SubjectDn),
        TlsClientAuthSanDns = Subject(client, TlsClientAuthSubject.SanDns),
        TlsClientAuthSanUri = Subject(client, TlsClientAuthSubject.SanUri),
        TlsClientAuthSanIp = Subject(client, TlsClientAuthSubject.SanIp),
        TlsClientAuthSanEmail = Subject(client, TlsClientAuthSubject.SanEmail),
        TlsClientCertificateBoundAccessTokens = client.TlsClientCertificateBoundAccessTokens,
    };

    private static string? Subject(Client client, string field) =>
        client.TlsClientAuthSubject is { } s && s.Field == field ? s.Value : null;
}
