using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;

namespace Parapet.Protocol.Token;

/// <summary>What a grant decided to issue; <paramref name="Binding"/> is the key or certificate the access token is bound to.</summary>
public sealed record Issuance(Client Client, string Subject, string Scope, DateTimeOffset? AuthTime, string? Nonce, string GrantId, bool IncludeRefreshToken,
    SenderProof Binding);

/// <summary>Mints JWT access tokens (RFC 9068), ID tokens (OIDC Core §2) and refresh tokens (stored hashed).</summary>
public sealed class TokenIssuer(ISigningKeys keys, ITokenStore store, TimeProvider time)
{
    public const string GrantIdClaim = "gid";
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public async Task<TokenResponse> IssueAsync(Issuance issuance, ServerProperties properties, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var scopes = ScopeCatalog.Split(issuance.Scope);
        var accessToken = CreateAccessToken(issuance, properties, now);
        string? idToken = null;
        if (scopes.Contains(ScopeCatalog.OpenId) && issuance.AuthTime is not null)
        {
            idToken = CreateIdToken(issuance, properties, now, accessToken);
        }
        string? refreshToken = null;
        if (issuance.IncludeRefreshToken && issuance.Client.GrantTypes.Contains(GrantTypeNames.RefreshToken))
        {
            refreshToken = Hashing.NewHandle();
            await store.AddRefreshTokenAsync(new RefreshToken(Hashing.Sha256(refreshToken), issuance.Client.ClientId, issuance.Subject,
                issuance.Scope, issuance.AuthTime ?? now, now.AddSeconds(properties.RefreshTokenLifetime), issuance.GrantId, IssuedAt: now,
                // RFC 9449 §5: only a public client's refresh token is bound; a confidential client's is already bound to its credentials.
                DpopJkt: issuance.Client.IsPublic ? issuance.Binding.DpopJkt : null), ct);
        }
        return new TokenResponse
        {
            AccessToken = accessToken,
            // RFC 9449 §5: a DPoP-bound access token is announced as such; a certificate-bound one stays Bearer (RFC 8705 §3).
            TokenType = issuance.Binding.DpopJkt is null ? "Bearer" : "DPoP",
            ExpiresIn = properties.AccessTokenLifetime,
            Scope = issuance.Scope.Length == 0 ? null : issuance.Scope,
            IdToken = idToken,
            RefreshToken = refreshToken,
        };
    }

    private string CreateAccessToken(Issuance i, ServerProperties properties, DateTimeOffset now)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = i.Subject,
            ["client_id"] = i.Client.ClientId,
            ["jti"] = Hashing.NewHandle()[..22],
            [GrantIdClaim] = i.GrantId,
        };
        if (i.Scope.Length > 0)
        {
            claims["scope"] = i.Scope;
        }
        if (i.AuthTime is { } authTime)
        {
            claims["auth_time"] = authTime.ToUnixTimeSeconds();
        }
        if (Confirmation(i.Binding) is { } cnf)
        {
            claims["cnf"] = cnf;
        }
        return Handler.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = properties.Issuer,
            Audience = properties.Issuer,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.AddSeconds(properties.AccessTokenLifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = SigningFor(i.Client, properties),
            TokenType = "at+jwt", // RFC 9068 §2.1
        });
    }

    private string CreateIdToken(Issuance i, ServerProperties properties, DateTimeOffset now, string accessToken)
    {
        var claims = new Dictionary<string, object>
        {
            ["sub"] = i.Subject,
            ["auth_time"] = i.AuthTime!.Value.ToUnixTimeSeconds(),
            ["at_hash"] = LeftHalfHash(accessToken),
            ["azp"] = i.Client.ClientId,
        };
        if (i.Nonce is not null)
        {
            claims["nonce"] = i.Nonce;
        }
        return Handler.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = properties.Issuer,
            Audience = i.Client.ClientId,
            IssuedAt = now.UtcDateTime,
            Expires = now.AddSeconds(properties.AccessTokenLifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = SigningFor(i.Client, properties),
        });
    }

    /// <summary>RS256 by default (OIDC Core §15.1); PS256 for a client under FAPI 2.0 (§5.4.1), ID tokens and access tokens alike.</summary>
    private Microsoft.IdentityModel.Tokens.SigningCredentials SigningFor(Client client, ServerProperties properties) =>
        Fapi.FapiProfile.AppliesTo(properties, client) ? keys.FapiSigning : keys.Signing;

    /// <summary>The <c>cnf</c> claim (RFC 7800 §3.1) for a bound token: <c>jkt</c> (RFC 9449 §6.1), <c>x5t#S256</c> (RFC 8705 §3.1).</summary>
    private static Dictionary<string, object>? Confirmation(SenderProof binding)
    {
        if (!binding.IsConstrained)
        {
            return null;
        }
        var cnf = new Dictionary<string, object>();
        if (binding.DpopJkt is { } jkt)
        {
            cnf["jkt"] = jkt;
        }
        if (binding.CertificateThumbprint is { } x5t)
        {
            cnf["x5t#S256"] = x5t;
        }
        return cnf;
    }

    /// <summary>OIDC Core §3.1.3.6: base64url of the left half of the SHA-256 of the token (RS256, and PS256 too: both hash with SHA-256).</summary>
    private static string LeftHalfHash(string token)
    {
        var hash = SHA256.HashData(Encoding.ASCII.GetBytes(token));
        return Base64Url.Encode(hash.AsSpan(0, hash.Length / 2));
    }
}
