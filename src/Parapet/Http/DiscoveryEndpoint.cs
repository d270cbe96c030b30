using System.Text.Json.Nodes;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Fapi;
using Parapet.Protocol.Jose;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Token;

namespace Parapet.Http;

/// <summary>
/// <c>/.well-known/openid-configuration</c>, <c>/.well-known/oauth-authorization-server</c> and <c>/jwks</c>, built from the live
/// snapshot on every request (cheap), so a property change shows at once (DESIGN §2.7).
/// </summary>
internal static class DiscoveryEndpoint
{
    public static void MapDiscovery(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/openid-configuration", (IPropertySource source) => Results.Json(Build(source.Current.Properties)));
        app.MapGet("/.well-known/oauth-authorization-server", (IPropertySource source) => Results.Json(Build(source.Current.Properties)));
        // RFC 7517 §4.2: "use" tells the signing keys ("sig") from the keys clients encrypt request objects to ("enc").
        app.MapGet("/jwks", (ISigningKeys signing, IEncryptionKeys encryption) => Results.Json(new JsonObject
        {
            ["keys"] = new JsonArray(signing.PublicJwks.Concat(encryption.PublicJwks).Select(k => (JsonNode)Jwk(k)).ToArray()),
        }));
    }

    public static JsonObject Build(ServerProperties p)
    {
        var par = p.IsEnabled(FeatureFlagCatalog.Par);
        // FAPI 2.0 mode (the server's fapiCompatibility) publishes what it enforces: PAR required, its client-authentication
        // methods, PS256/ES256 only (§5.4.1); a client's own fapi_compatibility changes nothing here.
        var fapi = p.FapiCompatibility;
        var authMethods = fapi ? ClientAuthMethods.Supported.Where(FapiProfile.AuthMethods.Contains).ToArray() : ClientAuthMethods.Supported;
        var doc = new JsonObject
        {
            ["issuer"] = p.Issuer,
            ["authorization_endpoint"] = p.EffectiveAuthorizationEndpoint,
            ["token_endpoint"] = p.EffectiveTokenEndpoint,
            ["jwks_uri"] = p.EffectiveJwksUri,
        };
        if (p.IsEnabled(FeatureFlagCatalog.UserInfo))
        {
            doc["userinfo_endpoint"] = p.EffectiveUserInfoEndpoint;
        }
        if (p.IsEnabled(FeatureFlagCatalog.Introspection))
        {
            doc["introspection_endpoint"] = p.EffectiveIntrospectionEndpoint;
            doc["introspection_endpoint_auth_methods_supported"] = Array(authMethods.Where(m => m != ClientAuthMethods.None));
        }
        if (p.IsEnabled(FeatureFlagCatalog.RevokeToken))
        {
            doc["revocation_endpoint"] = p.EffectiveRevocationEndpoint;
            doc["revocation_endpoint_auth_methods_supported"] = Array(authMethods);
        }
        if (p.IsEnabled(FeatureFlagCatalog.EndSession))
        {
            doc["end_session_endpoint"] = p.EffectiveEndSessionEndpoint;
        }
        if (p.IsEnabled(FeatureFlagCatalog.Registration) && p.DynamicRegistrationEnabled)
        {
            doc["registration_endpoint"] = p.EffectiveRegistrationEndpoint;
        }
        if (par)
        {
            doc["pushed_authorization_request_endpoint"] = p.EffectiveParEndpoint;
            doc["require_pushed_authorization_requests"] = p.RequirePar || fapi;
        }
        var aliases = MtlsAliases(p, par);
        if (aliases.Count > 0)
        {
            doc["mtls_endpoint_aliases"] = aliases;
        }
        doc["scopes_supported"] = Array(ScopeCatalog.DefaultForClients);
        doc["response_types_supported"] = Array(["code"]);
        doc["response_modes_supported"] = Array(["query", "form_post"]);
        doc["grant_types_supported"] = Array(GrantTypeNames.Supported);
        doc["subject_types_supported"] = Array(["public"]);
        // RS256 signs by default and PS256 for FAPI clients, so both are listed unless every client is a FAPI one.
        doc["id_token_signing_alg_values_supported"] = Array(fapi ? ["PS256"] : ["RS256", "PS256"]);
        doc["token_endpoint_auth_methods_supported"] = Array(authMethods);
        doc["token_endpoint_auth_signing_alg_values_supported"] = Array(fapi ? ClientKeyResolver.Algorithms(true) : ClientKeyResolver.Algorithms(false).Append("HS256"));
        doc["code_challenge_methods_supported"] = Array(["S256"]);
        doc["dpop_signing_alg_values_supported"] = Array(fapi ? p.DpopSigningAlgValuesSupported.Where(FapiProfile.SigningAlgorithms.Contains) : p.DpopSigningAlgValuesSupported); // RFC 9449 §5.1
        doc["claims_supported"] = Array(["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "name", "email"]);
        doc["prompt_values_supported"] = Array(["none", "login", "consent", "select_account"]);
        doc["request_uri_parameter_supported"] = p.RequestUriParameterSupported;
        doc["request_parameter_supported"] = p.RequestParameterSupported;
        doc["request_object_signing_alg_values_supported"] = Array(p.ForceSignedRequestObject || fapi ? ClientKeyResolver.Algorithms(fapi) : ClientKeyResolver.Algorithms(false).Append("none"));
        // OIDC Discovery §3 / RFC 8414 §2: what a request object may be encrypted with (to our keys).
        doc["request_object_encryption_alg_values_supported"] = Array(JweAlgorithms.KeyManagement);
        doc["request_object_encryption_enc_values_supported"] = Array(JweAlgorithms.ContentEncryption);
        doc["authorization_response_iss_parameter_supported"] = true;
        // RFC 8705 §3.3: access tokens are bound to the client's certificate when it authenticates with one or asks for it.
        doc["tls_client_certificate_bound_access_tokens"] = true;
        return doc;
    }

    /// <summary>
    /// RFC 8705 §5: only non-blank mtls*Endpoint values; an alias only while its endpoint is on (the PAR alias first, as the
    /// endpoint this server is built around).
    /// </summary>
    private static JsonObject MtlsAliases(ServerProperties p, bool par)
    {
        var aliases = new JsonObject();
        void Add(string name, string value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                aliases[name] = value;
            }
        }
        if (par)
        {
            Add("pushed_authorization_request_endpoint", p.MtlsParEndpoint);
        }
        Add("authorization_endpoint", p.MtlsAuthorizationEndpoint);
        Add("token_endpoint", p.MtlsTokenEndpoint);
        Add("userinfo_endpoint", p.MtlsUserInfoEndpoint);
        Add("jwks_uri", p.MtlsJwksUri);
        Add("registration_endpoint", p.MtlsRegistrationEndpoint);
        if (p.IsEnabled(FeatureFlagCatalog.Introspection))
        {
            Add("introspection_endpoint", p.MtlsIntrospectionEndpoint);
        }
        if (p.IsEnabled(FeatureFlagCatalog.RevokeToken))
        {
            Add("revocation_endpoint", p.MtlsTokenRevocationEndpoint);
        }
        return aliases;
    }

    private static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    private static JsonObject Jwk(Microsoft.IdentityModel.Tokens.JsonWebKey k)
    {
        var o = new JsonObject { ["kty"] = k.Kty, ["kid"] = k.Kid, ["use"] = k.Use };
        if (k.Alg is not null)
        {
            o["alg"] = k.Alg; // RSA keys have none: they sign RS256 and PS256 (see SigningKeys.ToPublic)
        }
        if (k.Kty == "RSA")
        {
            o["n"] = k.N;
            o["e"] = k.E;
        }
        else
        {
            o["crv"] = k.Crv;
            o["x"] = k.X;
            o["y"] = k.Y;
        }
        return o;
    }
}
