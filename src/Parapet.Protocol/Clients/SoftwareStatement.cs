using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;

namespace Parapet.Protocol.Clients;

/// <summary>
/// RFC 7591 §2.3: a <c>software_statement</c> is a JWT, signed by an issuer the server trusts, whose claims are client
/// metadata. Refused unless <c>registrationSoftwareStatementPolicy</c> is <c>verify</c>; when verified, its claims win over
/// the same members in the JSON body.
/// </summary>
public static class SoftwareStatement
{
    public const string Member = "software_statement";

    /// <summary>The JWT's own claims (RFC 7519 §4.1): they describe the statement, not the client, so they are not metadata.</summary>
    private static readonly string[] JwtClaims = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"];
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(60);
    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>The registration body with the verified statement's claims applied and the statement removed; the body itself when it has none.</summary>
    public static async Task<Checked<JsonObject>> ApplyAsync(JsonObject body, ServerProperties properties, DateTimeOffset now)
    {
        if (!body.TryGetPropertyValue(Member, out var statement))
        {
            return body;
        }
        if (properties.RegistrationSoftwareStatementPolicy != SoftwareStatementPolicies.Verify)
        {
            return OAuthErrors.SoftwareStatementNotAccepted();
        }
        if (statement is not JsonValue value || !value.TryGetValue<string>(out var jwt) || !Handler.CanReadToken(jwt))
        {
            return OAuthErrors.SoftwareStatementMalformed();
        }
        var result = await Handler.ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            IssuerSigningKeys = TrustedKeys(properties.RegistrationSoftwareStatementJwks) ?? [],
            // The trusted keys name the trusted issuers; a statement need not be addressed to us nor expire (RFC 7591 §2.3).
            ValidateIssuer = false,
            ValidateAudience = false,
            RequireExpirationTime = false,
            LifetimeValidator = (notBefore, expires, _, _) =>
                (notBefore is null || notBefore <= (now + Skew).UtcDateTime) && (expires is null || expires > (now - Skew).UtcDateTime),
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken token || string.IsNullOrEmpty(token.Issuer))
        {
            return OAuthErrors.SoftwareStatementUntrusted();
        }
        if (JsonNode.Parse(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(token.EncodedPayload))) is not JsonObject claims)
        {
            return OAuthErrors.SoftwareStatementMalformed();
        }
        var merged = body.DeepClone().AsObject();
        merged.Remove(Member);
        foreach (var (name, claim) in claims.Where(c => !JwtClaims.Contains(c.Key) && c.Key != Member))
        {
            merged[name] = claim?.DeepClone();
        }
        return merged;
    }

    /// <summary>The public signing keys of a JWKS text, or null when it is not a JWKS of public keys.</summary>
    public static IReadOnlyList<SecurityKey>? TrustedKeys(string jwks)
    {
        if (string.IsNullOrWhiteSpace(jwks))
        {
            return null;
        }
        try
        {
            var set = new JsonWebKeySet(jwks);
            // Symmetric or private keys in a server property would be a secret in the configuration: public keys only.
            if (set.Keys.Count == 0 || set.Keys.Any(k => k.HasPrivateKey || k.Kty == JsonWebAlgorithmsKeyTypes.Octet))
            {
                return null;
            }
            var keys = set.GetSigningKeys();
            return keys.Count == set.Keys.Count ? keys.ToList() : null;
        }
        catch (Exception e) when (e is ArgumentException or JsonException or FormatException)
        {
            return null;
        }
    }
}
