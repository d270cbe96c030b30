using Parapet.Protocol.Clients.Certificates;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Fapi;

namespace Parapet.Protocol.Clients;

/// <summary>A client made from metadata, and the secret to hand out once (null when none was generated).</summary>
public sealed record ValidatedClient(Client Client, string? IssuedSecret);

/// <summary>
/// One validation for client metadata, whether it comes from the admin API or from dynamic registration (RFC 7591 §2).
/// </summary>
public static class ClientMetadataValidator
{
    /// <param name="metadata">What was sent.</param>
    /// <param name="existing">The stored client on update (its secret is kept unless a new one is sent).</param>
    /// <param name="allowAdminScope">Only the admin API may grant <c>parapet.admin</c>.</param>
    /// <param name="vault">Protects a <c>client_secret_jwt</c> client's secret, which must stay recoverable.</param>
    /// <param name="fapiServer">The server's <c>fapiCompatibility</c>: a new client must then meet FAPI 2.0 too.</param>
    public static Checked<ValidatedClient> Validate(ClientMetadata metadata, Client? existing, bool allowAdminScope, DateTimeOffset now, ISecretVault vault, bool fapiServer = false)
    {
        var method = metadata.TokenEndpointAuthMethod ?? existing?.TokenEndpointAuthMethod ?? ClientAuthMethods.ClientSecretBasic;
        if (!ClientAuthMethods.Known.Contains(method))
        {
            return MethodNotSupported(method);
        }
        // The metadata must first be consistent in itself (RFC 7591 §2), then within what this build implements: a client
        // registering private_key_jwt without keys hears about the keys, and the check is ready when the method is.
        var keys = ClientKeys.Check(metadata, existing);
        if (keys.Failed)
        {
            return keys.Error!;
        }
        var (jwks, jwksUri) = keys.Value;
        if (ClientAuthMethods.KeyBased.Contains(method) && jwks is null && jwksUri is null)
        {
            return OAuthErrors.ClientMetadata($"token_endpoint_auth_method '{method}' authenticates with the client's keys: register jwks or jwks_uri.");
        }
        if (!ClientAuthMethods.Supported.Contains(method))
        {
            return MethodNotSupported(method);
        }
        var tlsSubject = TlsClientAuthRegistration.Subject(metadata, existing, method);
        if (tlsSubject.Failed)
        {
            return tlsSubject.Error!;
        }
        var grantTypes = metadata.GrantTypes ?? existing?.GrantTypes ?? [GrantTypeNames.AuthorizationCode, GrantTypeNames.RefreshToken];
        var unknownGrant = grantTypes.FirstOrDefault(g => !GrantTypeNames.Supported.Contains(g));
        if (unknownGrant is not null)
        {
            return OAuthErrors.ClientMetadata($"grant_type '{unknownGrant}' is not supported.");
        }
        if (method == ClientAuthMethods.None && grantTypes.Contains(GrantTypeNames.ClientCredentials))
        {
            return OAuthErrors.ClientMetadata("A public client (token_endpoint_auth_method 'none') cannot use the client_credentials grant.");
        }
        // Refresh tokens are only ever issued with an authorization code here, so the grant alone could never be used.
        if (grantTypes.Contains(GrantTypeNames.RefreshToken) && !grantTypes.Contains(GrantTypeNames.AuthorizationCode))
        {
            return OAuthErrors.ClientMetadata("grant_type 'refresh_token' goes with 'authorization_code': refresh tokens are only issued with a code.");
        }
        var usesCode = grantTypes.Contains(GrantTypeNames.AuthorizationCode);
        var responseTypes = metadata.ResponseTypes ?? (usesCode ? ["code"] : []);
        if (responseTypes.Any(r => r != "code"))
        {
            return OAuthErrors.ClientMetadata("Only response_type 'code' is supported.");
        }
        if (usesCode != responseTypes.Contains("code"))
        {
            return OAuthErrors.ClientMetadata("grant_types and response_types disagree: 'authorization_code' goes with response_type 'code' (RFC 7591 §2.1).");
        }
        var redirectUris = metadata.RedirectUris ?? existing?.RedirectUris ?? [];
        var badUri = redirectUris.FirstOrDefault(u => !RedirectUris.IsAcceptable(u));
        if (badUri is not null)
        {
            return OAuthErrors.ClientRedirectUri($"The redirect URI '{badUri}' is not acceptable: use an absolute https URI (http only on 127.0.0.1, [::1] or localhost) without a fragment.");
        }
        if (usesCode && redirectUris.Count == 0)
        {
            return OAuthErrors.ClientRedirectUri("redirect_uris is required for the authorization_code grant.");
        }
        var postLogoutRedirectUris = metadata.PostLogoutRedirectUris ?? existing?.PostLogoutRedirectUris ?? [];
        var badLogoutUri = postLogoutRedirectUris.FirstOrDefault(u => !RedirectUris.IsAcceptable(u));
        if (badLogoutUri is not null)
        {
            return OAuthErrors.ClientRedirectUri($"The post_logout_redirect_uri '{badLogoutUri}' is not acceptable: use an absolute https URI (http only on 127.0.0.1, [::1] or localhost) without a fragment.");
        }
        var applicationType = metadata.ApplicationType ?? existing?.ApplicationType ?? "web";
        if (applicationType is not ("web" or "native"))
        {
            return OAuthErrors.ClientMetadata("application_type must be 'web' or 'native'.");
        }
        var scopes = metadata.Scope is null ? existing?.Scopes ?? ScopeCatalog.DefaultForClients : ScopeCatalog.Split(metadata.Scope);
        var badScope = scopes.FirstOrDefault(s => !ScopeCatalog.Known.Contains(s) || (s == ScopeCatalog.Admin && !allowAdminScope));
        if (badScope is not null)
        {
            return OAuthErrors.ClientMetadata($"The scope '{badScope}' is unknown or may not be registered.");
        }
        var parLifetime = metadata.ParLifetime ?? existing?.ParLifetime;
        if (parLifetime is not null and not 0 and (< 5 or > 3600))
        {
            return OAuthErrors.ClientMetadata("par_lifetime must be between 5 and 3600 seconds (0 or absent: the server's defaultParLifetime).");
        }
        if (metadata.RequirePar is { } a && metadata.RequirePushedAuthorizationRequests is { } b && a != b)
        {
            return OAuthErrors.ClientMetadata("require_par and require_pushed_authorization_requests are the same switch and must agree.");
        }
        var requirePar = metadata.RequirePar ?? metadata.RequirePushedAuthorizationRequests ?? existing?.RequirePar ?? false;
        var fapi = metadata.FapiCompatibility ?? existing?.FapiCompatibility ?? false;
        // FAPI 2.0 §5.3.2.1: confidential clients authenticated by private_key_jwt or mutual TLS. A client that turns the switch on
        // must meet it now; under the server's switch only new clients are held to it (existing ones are refused per request),
        // and the admin tools, which the switch spares (FapiProfile.AppliesTo), stay creatable.
        var fapiApplies = fapi || (fapiServer && existing is null && !scopes.Contains(ScopeCatalog.Admin));
        if (fapiApplies && !FapiProfile.AuthMethods.Contains(method))
        {
            return OAuthErrors.ClientMetadata(
                $"FAPI 2.0 requires token_endpoint_auth_method {string.Join(", ", FapiProfile.AuthMethods)}; '{method}' is not allowed" +
                (fapi ? " for a client with fapi_compatibility." : " while the server's fapiCompatibility is on."));
        }

        string? issuedSecret = null;
        var secretHash = existing?.SecretHash;
        var recoverable = method == ClientAuthMethods.ClientSecretJwt;
        // Only client_secret_jwt keeps the secret itself; switching away drops that copy.
        var protectedSecret = recoverable ? existing?.ProtectedSecret : null;
        if (method == ClientAuthMethods.None)
        {
            if (metadata.ClientSecret is not null)
            {
                return OAuthErrors.ClientMetadata("A public client (token_endpoint_auth_method 'none') has no client_secret.");
            }
            secretHash = null;
        }
        else
        {
            var newSecret = metadata.ClientSecret;
            if (newSecret is not null && newSecret.Length < ClientSecrets.MinimumLength)
            {
                return OAuthErrors.ClientMetadata($"client_secret must be at least {ClientSecrets.MinimumLength} characters.");
            }
            // A client switching to client_secret_jwt has only a hash of its old secret, which cannot key an HMAC: it gets a new one.
            if (newSecret is null && (secretHash is null || (recoverable && protectedSecret is null)))
            {
                newSecret = issuedSecret = ClientSecrets.Generate();
            }
            if (newSecret is not null)
            {
                secretHash = ClientSecrets.Hash(newSecret);
                protectedSecret = recoverable ? vault.Protect(newSecret) : null;
            }
        }

        var clientId = existing?.ClientId ?? metadata.ClientId ?? Hashing.NewHandle()[..22];
        if (clientId.Length is 0 or > 128 || clientId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return OAuthErrors.ClientMetadata("client_id must be 1 to 128 visible characters.");
        }
        var client = new Client
        {
            ClientId = clientId,
            ClientName = metadata.ClientName ?? existing?.ClientName,
            SecretHash = secretHash,
            ProtectedSecret = method == ClientAuthMethods.None ? null : protectedSecret,
            TokenEndpointAuthMethod = method,
            RedirectUris = redirectUris.ToArray(),
            PostLogoutRedirectUris = postLogoutRedirectUris.ToArray(),
            GrantTypes = grantTypes.Distinct().ToArray(),
            ResponseTypes = responseTypes.Distinct().ToArray(),
            Scopes = scopes.Distinct().ToArray(),
            ApplicationType = applicationType,
            ParLifetime = parLifetime is 0 ? null : parLifetime,
            RequirePar = requirePar,
            Trusted = metadata.Trusted ?? existing?.Trusted ?? false,
            AllowPlainPkce = metadata.AllowPlainPkce ?? existing?.AllowPlainPkce ?? false,
            FapiCompatibility = fapi,
            DpopBoundAccessTokens = metadata.DpopBoundAccessTokens ?? existing?.DpopBoundAccessTokens ?? false,
            Disabled = metadata.Disabled ?? existing?.Disabled ?? false,
            Jwks = jwks,
            JwksUri = jwksUri,
            TlsClientAuthSubject = tlsSubject.Value,
            TlsClientCertificateBoundAccessTokens = metadata.TlsClientCertificateBoundAccessTokens ?? existing?.TlsClientCertificateBoundAccessTokens ?? false,
            RegistrationAccessTokenHash = existing?.RegistrationAccessTokenHash,
            CreatedAt = existing?.CreatedAt ?? now,
            Version = (existing?.Version ?? 0) + 1,
        };
        return new ValidatedClient(client, issuedSecret);
    }

    /// <summary>
    /// RFC 7592 §2.2: an update replaces the whole metadata, and what it leaves out is treated as absent, not kept. Only the
    /// identity stays: client_id, secret, creation time, registration access token, and the operator's switches
    /// (<c>disabled</c>, <c>trusted</c>), which a registrant never sets.
    /// </summary>
    /// <param name="fapiServer">The server's <c>fapiCompatibility</c>: a replacement is judged like a new registration, so it must meet FAPI 2.0 too.</param>
    public static Checked<ValidatedClient> Replace(ClientMetadata metadata, Client existing, DateTimeOffset now, ISecretVault vault, bool fapiServer = false)
    {
        var replaced = metadata with { ClientId = existing.ClientId, ClientSecret = null, Disabled = existing.Disabled, Trusted = existing.Trusted };
        var validated = Validate(replaced, null, allowAdminScope: false, now, vault, fapiServer);
        if (validated.Failed)
        {
            return validated;
        }
        var (client, issued) = validated.Value!;
        // A confidential client keeps its secret; one that turns confidential gets the new one issued above, shown once, and
        // so does one turning to client_secret_jwt while only a hash of its secret is stored.
        var recoverable = client.TokenEndpointAuthMethod == ClientAuthMethods.ClientSecretJwt;
        var keepSecret = !client.IsPublic && existing.SecretHash is not null && (!recoverable || existing.ProtectedSecret is not null);
        return new ValidatedClient(
            client with
            {
                SecretHash = keepSecret ? existing.SecretHash : client.SecretHash,
                ProtectedSecret = keepSecret ? (recoverable ? existing.ProtectedSecret : null) : client.ProtectedSecret,
                CreatedAt = existing.CreatedAt,
                Version = existing.Version + 1,
                RegistrationAccessTokenHash = existing.RegistrationAccessTokenHash,
            },
            keepSecret ? null : issued);
    }

    private static OAuthError MethodNotSupported(string method) =>
        OAuthErrors.ClientMetadata($"token_endpoint_auth_method '{method}' is not supported; use one of: {string.Join(", ", ClientAuthMethods.Supported)}.");
}
