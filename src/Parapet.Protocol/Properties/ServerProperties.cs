using System.Text.Json.Serialization;

namespace Parapet.Protocol.Properties;

/// <summary>
/// The server properties, with Janssen's names on the wire (<c>AppConfiguration</c>) and Parapet's defaults.
/// Immutable: a change produces a new snapshot (see <see cref="IPropertySource"/>), so a request sees one consistent set.
/// </summary>
public sealed record ServerProperties
{
    /// <summary>Issuer identifier; every published URL defaults to a path under it.</summary>
    [JsonPropertyName("issuer")] public string Issuer { get; init; } = "http://127.0.0.1:8080";

    [JsonPropertyName("authorizationEndpoint")] public string AuthorizationEndpoint { get; init; } = "";
    [JsonPropertyName("tokenEndpoint")] public string TokenEndpoint { get; init; } = "";
    [JsonPropertyName("userInfoEndpoint")] public string UserInfoEndpoint { get; init; } = "";
    [JsonPropertyName("jwksUri")] public string JwksUri { get; init; } = "";
    [JsonPropertyName("registrationEndpoint")] public string RegistrationEndpoint { get; init; } = "";
    /// <summary>URL published as <c>pushed_authorization_request_endpoint</c>; the route itself is fixed at <c>/par</c>, as in Janssen.</summary>
    [JsonPropertyName("parEndpoint")] public string ParEndpoint { get; init; } = "";
    /// <summary>URL published as <c>introspection_endpoint</c> while <c>introspection</c> is on; the route is fixed at <c>/introspect</c>.</summary>
    [JsonPropertyName("introspectionEndpoint")] public string IntrospectionEndpoint { get; init; } = "";
    /// <summary>URL published as <c>revocation_endpoint</c> while <c>revoke_token</c> is on; the route is fixed at <c>/revoke</c>.</summary>
    [JsonPropertyName("revocationEndpoint")] public string RevocationEndpoint { get; init; } = "";
    /// <summary>URL published as <c>end_session_endpoint</c> while <c>end_session</c> is on; the route is fixed at <c>/end_session</c>.</summary>
    [JsonPropertyName("endSessionEndpoint")] public string EndSessionEndpoint { get; init; } = "";

    /// <summary>mTLS aliases, published in <c>mtls_endpoint_aliases</c> when not blank (RFC 8705 §5).</summary>
    [JsonPropertyName("mtlsAuthorizationEndpoint")] public string MtlsAuthorizationEndpoint { get; init; } = "";
    [JsonPropertyName("mtlsTokenEndpoint")] public string MtlsTokenEndpoint { get; init; } = "";
    [JsonPropertyName("mtlsUserInfoEndpoint")] public string MtlsUserInfoEndpoint { get; init; } = "";
    [JsonPropertyName("mtlsJwksUri")] public string MtlsJwksUri { get; init; } = "";
    [JsonPropertyName("mtlsRegistrationEndpoint")] public string MtlsRegistrationEndpoint { get; init; } = "";
    [JsonPropertyName("mtlsParEndpoint")] public string MtlsParEndpoint { get; init; } = "";
    [JsonPropertyName("mtlsIntrospectionEndpoint")] public string MtlsIntrospectionEndpoint { get; init; } = "";
    [JsonPropertyName("mtlsTokenRevocationEndpoint")] public string MtlsTokenRevocationEndpoint { get; init; } = "";

    /// <summary>Every authorization request must come through PAR.</summary>
    [JsonPropertyName("requirePar")] public bool RequirePar { get; init; }
    /// <summary>PAR lifetime for clients without <c>par_lifetime</c> (Janssen hard-codes 600).</summary>
    [JsonPropertyName("defaultParLifetime")] public int DefaultParLifetime { get; init; } = 600;
    /// <summary>RFC 9126 §2.4: authenticated clients may push a redirect URI they did not register. Never public clients.</summary>
    [JsonPropertyName("parAllowUnregisteredRedirectUri")] public bool ParAllowUnregisteredRedirectUri { get; init; }
    [JsonPropertyName("parForbidPublicClient")] public bool ParForbidPublicClient { get; init; }
    /// <summary>Pushes allowed per client (or per IP for unauthenticated callers) per minute; 0 = no limit. Over it: 429 with Retry-After.</summary>
    [JsonPropertyName("parRateLimitPerMinute")] public int ParRateLimitPerMinute { get; init; }
    [JsonPropertyName("requestUriParameterSupported")] public bool RequestUriParameterSupported { get; init; } = true;
    [JsonPropertyName("requestParameterSupported")] public bool RequestParameterSupported { get; init; } = true;
    [JsonPropertyName("forceSignedRequestObject")] public bool ForceSignedRequestObject { get; init; }
    /// <summary>PKCE for every client. Janssen's default is false; ours is the safe one.</summary>
    [JsonPropertyName("requirePkce")] public bool RequirePkce { get; init; } = true;
    [JsonPropertyName("fapiCompatibility")] public bool FapiCompatibility { get; init; }
    /// <summary>
    /// RFC 9449 §5.1 / discovery <c>dpop_signing_alg_values_supported</c>: the algorithms a DPoP proof may be signed with.
    /// Asymmetric only (RFC 9449 §4.2); <c>none</c> and the HMAC algorithms are refused by the validator.
    /// </summary>
    [JsonPropertyName("dpopSigningAlgValuesSupported")] public IReadOnlyList<string> DpopSigningAlgValuesSupported { get; init; } = ["RS256", "PS256", "ES256"];
    /// <summary>
    /// Seconds a DPoP proof's <c>iat</c> may lie in the past, and (for clock skew) in the future (RFC 9449 §11.1). Janssen's
    /// default is 5; ours allows ordinary clock differences between clients and nodes.
    /// </summary>
    [JsonPropertyName("dpopTimeframe")] public int DpopTimeframe { get; init; } = 60;
    /// <summary>Seconds a spent DPoP proof <c>jti</c> is remembered (at least until the proof's <c>iat</c> leaves the timeframe).</summary>
    [JsonPropertyName("dpopJtiCacheTime")] public int DpopJtiCacheTime { get; init; } = 3600;
    /// <summary>RFC 9449 §8: proofs must carry a server-provided <c>nonce</c>; answers carry a fresh one in <c>DPoP-Nonce</c>.</summary>
    [JsonPropertyName("dpopUseNonce")] public bool DpopUseNonce { get; init; }
    /// <summary>Seconds a server nonce stays acceptable (between this and twice this, see <c>DpopNonces</c>); the same on every node.</summary>
    [JsonPropertyName("dpopNonceCacheTime")] public int DpopNonceCacheTime { get; init; } = 300;
    /// <summary>Enabled features, always stored as the explicit list (Janssen's empty-means-all is refused).</summary>
    [JsonPropertyName("featureFlags")] public IReadOnlyList<string> FeatureFlags { get; init; } = FeatureFlagCatalog.Implemented;

    [JsonPropertyName("dynamicRegistrationEnabled")] public bool DynamicRegistrationEnabled { get; init; }
    /// <summary>
    /// <c>POST /register</c> needs <c>Authorization: Bearer</c> with an initial access token made through the admin API
    /// (RFC 7591 §3). Off by default: open registration, as Janssen's.
    /// </summary>
    [JsonPropertyName("registrationRequireInitialAccessToken")] public bool RegistrationRequireInitialAccessToken { get; init; }
    /// <summary>
    /// What <c>/register</c> does with a <c>software_statement</c> (RFC 7591 §2.3): <c>refuse</c> (the default: 400
    /// invalid_software_statement) or <c>verify</c> it against <see cref="RegistrationSoftwareStatementJwks"/>, its claims then
    /// overriding the JSON metadata.
    /// </summary>
    [JsonPropertyName("registrationSoftwareStatementPolicy")] public string RegistrationSoftwareStatementPolicy { get; init; } = SoftwareStatementPolicies.Refuse;
    /// <summary>The trusted issuers' public keys for software statements, as JWKS JSON text; empty trusts no one.</summary>
    [JsonPropertyName("registrationSoftwareStatementJwks")] public string RegistrationSoftwareStatementJwks { get; init; } = "";
    /// <summary>
    /// Lets the server fetch a client's <c>jwks_uri</c> from non-public addresses (loopback, RFC 1918, link-local, unique
    /// local, CGNAT, …), and over plain http. Off by default: the URL is the client's to choose, and letting it reach the
    /// server's own network or a cloud metadata service is server-side request forgery. For local development and tests only.
    /// </summary>
    [JsonPropertyName("jwksUriAllowPrivateNetworks")] public bool JwksUriAllowPrivateNetworks { get; init; }
    /// <summary>Adds Janssen's <c>reason</c> member to error bodies.</summary>
    [JsonPropertyName("errorReasonEnabled")] public bool ErrorReasonEnabled { get; init; }
    /// <summary>Seconds between polls of the stored revision (the fallback when change notifications are unavailable).</summary>
    [JsonPropertyName("configurationUpdateInterval")] public int ConfigurationUpdateInterval { get; init; } = 1;
    [JsonPropertyName("cleanServiceInterval")] public int CleanServiceInterval { get; init; } = 60;
    [JsonPropertyName("cleanServiceBatchChunkSize")] public int CleanServiceBatchChunkSize { get; init; } = 10000;

    [JsonPropertyName("authorizationCodeLifetime")] public int AuthorizationCodeLifetime { get; init; } = 60;
    [JsonPropertyName("accessTokenLifetime")] public int AccessTokenLifetime { get; init; } = 300;
    [JsonPropertyName("refreshTokenLifetime")] public int RefreshTokenLifetime { get; init; } = 86400;
    [JsonPropertyName("sessionIdLifetime")] public int SessionIdLifetime { get; init; } = 86400;
    /// <summary>
    /// Seconds between automatic signing-key rotations; 0 (the default) rotates only when an operator asks
    /// (<c>parapet keys rotate</c>). Each rotation promotes the already-published next key, so no verifier is surprised.
    /// </summary>
    [JsonPropertyName("keyRotationInterval")] public int KeyRotationInterval { get; init; }

    public bool IsEnabled(string flag) => FeatureFlags.Contains(flag, StringComparer.OrdinalIgnoreCase);

    [JsonIgnore] public string EffectiveParEndpoint => OrUnderIssuer(ParEndpoint, "/par");
    [JsonIgnore] public string EffectiveAuthorizationEndpoint => OrUnderIssuer(AuthorizationEndpoint, "/authorize");
    [JsonIgnore] public string EffectiveTokenEndpoint => OrUnderIssuer(TokenEndpoint, "/token");
    [JsonIgnore] public string EffectiveUserInfoEndpoint => OrUnderIssuer(UserInfoEndpoint, "/userinfo");
    [JsonIgnore] public string EffectiveJwksUri => OrUnderIssuer(JwksUri, "/jwks");
    [JsonIgnore] public string EffectiveRegistrationEndpoint => OrUnderIssuer(RegistrationEndpoint, "/register");
    [JsonIgnore] public string EffectiveIntrospectionEndpoint => OrUnderIssuer(IntrospectionEndpoint, "/introspect");
    [JsonIgnore] public string EffectiveRevocationEndpoint => OrUnderIssuer(RevocationEndpoint, "/revoke");
    [JsonIgnore] public string EffectiveEndSessionEndpoint => OrUnderIssuer(EndSessionEndpoint, "/end_session");

    /// <summary>The lifetime of a pushed request for <paramref name="clientParLifetime"/> (0 or absent means the server default, as Janssen treats 0).</summary>
    public int ParLifetimeFor(int? clientParLifetime) => clientParLifetime is > 0 ? clientParLifetime.Value : DefaultParLifetime;

    private string OrUnderIssuer(string value, string path) => string.IsNullOrWhiteSpace(value) ? Issuer.TrimEnd('/') + path : value;
}

/// <summary>The values of <c>registrationSoftwareStatementPolicy</c>.</summary>
public static class SoftwareStatementPolicies
{
    public const string Refuse = "refuse";
    public const string Verify = "verify";
}
