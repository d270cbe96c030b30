using Parapet.Protocol.Clients.Certificates;

namespace Parapet.Protocol.Clients;

/// <summary>A registered client as the protocol sees it.</summary>
public sealed record Client
{
    public required string ClientId { get; init; }
    public string? ClientName { get; init; }
    /// <summary>SHA-256 of the secret (secrets are high-entropy, so a slow hash buys nothing here; DESIGN §2.4).</summary>
    public byte[]? SecretHash { get; init; }
    /// <summary>
    /// The secret itself, protected by <see cref="ISecretVault"/>; only for <c>client_secret_jwt</c>, whose assertions are
    /// HMACs keyed by the secret, so a hash cannot check them (DESIGN §2.4).
    /// </summary>
    public string? ProtectedSecret { get; init; }
    public string TokenEndpointAuthMethod { get; init; } = ClientAuthMethods.ClientSecretBasic;
    public IReadOnlyList<string> RedirectUris { get; init; } = [];
    /// <summary>OIDC RP-Initiated Logout 1.0 <c>post_logout_redirect_uris</c>; matched exactly, never as a prefix.</summary>
    public IReadOnlyList<string> PostLogoutRedirectUris { get; init; } = [];
    public IReadOnlyList<string> GrantTypes { get; init; } = [GrantTypeNames.AuthorizationCode, GrantTypeNames.RefreshToken];
    public IReadOnlyList<string> ResponseTypes { get; init; } = ["code"];
    /// <summary>Scopes the client may request.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = ["openid", "profile", "email", "offline_access"];
    public string ApplicationType { get; init; } = "web";
    /// <summary>Janssen's <c>par_lifetime</c>; null or 0 means the server's <c>defaultParLifetime</c>.</summary>
    public int? ParLifetime { get; init; }
    /// <summary>Janssen's <c>require_par</c> = RFC 9126's <c>require_pushed_authorization_requests</c>.</summary>
    public bool RequirePar { get; init; }
    /// <summary>Janssen's <c>trustedClient</c>: consent is skipped.</summary>
    public bool Trusted { get; init; }
    /// <summary>Allows PKCE method <c>plain</c> (off unless asked for).</summary>
    public bool AllowPlainPkce { get; init; }
    /// <summary>
    /// <c>fapi_compatibility</c>: this client's requests follow the FAPI 2.0 Security Profile, as every client's do while the
    /// server's <c>fapiCompatibility</c> is on (see <see cref="Fapi.FapiProfile"/>).
    /// </summary>
    public bool FapiCompatibility { get; init; }
    /// <summary>RFC 9449 §5.2 <c>dpop_bound_access_tokens</c>: every token request of this client must carry a DPoP proof.</summary>
    public bool DpopBoundAccessTokens { get; init; }
    public bool Disabled { get; init; }
    /// <summary>RFC 7591 <c>jwks</c>: the client's public keys as JSON text, kept as registered.</summary>
    public string? Jwks { get; init; }
    /// <summary>RFC 7591 <c>jwks_uri</c>.</summary>
    public string? JwksUri { get; init; }
    /// <summary>
    /// RFC 8705 §2.1.2: the one certificate subject a <c>tls_client_auth</c> client authenticates with (null for other methods).
    /// </summary>
    public TlsClientAuthSubject? TlsClientAuthSubject { get; init; }
    /// <summary>RFC 8705 §3.4 <c>tls_client_certificate_bound_access_tokens</c>: access tokens are bound to the client's certificate.</summary>
    public bool TlsClientCertificateBoundAccessTokens { get; init; }
    /// <summary>
    /// SHA-256 of the RFC 7592 registration access token; set only for dynamically registered clients, so the admin client and
    /// clients created through the admin API can never be managed at <c>/register/{client_id}</c>.
    /// </summary>
    public byte[]? RegistrationAccessTokenHash { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Incremented on every change, for caches.</summary>
    public long Version { get; init; }

    public bool IsPublic => TokenEndpointAuthMethod == ClientAuthMethods.None;
    public bool IsNative => ApplicationType == "native";
}

public static class ClientAuthMethods
{
    public const string ClientSecretBasic = "client_secret_basic";
    public const string ClientSecretPost = "client_secret_post";
    public const string ClientSecretJwt = "client_secret_jwt";
    public const string PrivateKeyJwt = "private_key_jwt";
    public const string TlsClientAuth = "tls_client_auth";
    public const string SelfSignedTlsClientAuth = "self_signed_tls_client_auth";
    public const string None = "none";

    /// <summary>The methods this build accepts; the others are refused at registration until they are implemented.</summary>
    public static readonly IReadOnlyList<string> Supported = [ClientSecretBasic, ClientSecretPost, ClientSecretJwt, PrivateKeyJwt, TlsClientAuth, SelfSignedTlsClientAuth, None];

    /// <summary>Every method this server knows the name of (RFC 7591 §2, RFC 8705 §2).</summary>
    public static readonly IReadOnlyList<string> Known = [ClientSecretBasic, ClientSecretPost, ClientSecretJwt, PrivateKeyJwt, TlsClientAuth, SelfSignedTlsClientAuth, None];

    /// <summary>Methods that authenticate with the client's own public keys, so they need <c>jwks</c> or <c>jwks_uri</c>.</summary>
    public static readonly IReadOnlyList<string> KeyBased = [PrivateKeyJwt, SelfSignedTlsClientAuth];

    /// <summary>Methods proven by the TLS client certificate of the connection (RFC 8705 §2).</summary>
    public static readonly IReadOnlyList<string> CertificateBased = [TlsClientAuth, SelfSignedTlsClientAuth];
}

public static class GrantTypeNames
{
    public const string AuthorizationCode = "authorization_code";
    public const string RefreshToken = "refresh_token";
    public const string ClientCredentials = "client_credentials";

    public static readonly IReadOnlyList<string> Supported = [AuthorizationCode, RefreshToken, ClientCredentials];
}
