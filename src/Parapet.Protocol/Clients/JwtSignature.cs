using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Parapet.Protocol.Clients;

/// <summary>Checks a JWS signature with given keys and one algorithm; the claims are the caller's to check, with its own words.</summary>
public static class JwtSignature
{
    private static readonly JsonWebTokenHandler Handler = new();

    /// <summary>
    /// Reads a compact JWT. Null when it is not one; <see cref="JsonWebToken.IsEncrypted"/> tells a JWE apart, which callers
    /// refuse with their own message.
    /// </summary>
    public static JsonWebToken? Read(string? compact)
    {
        if (string.IsNullOrEmpty(compact) || compact.Length > 16384)
        {
            return null;
        }
        try
        {
            return Handler.ReadJsonWebToken(compact);
        }
        catch (Exception e) when (e is ArgumentException or SecurityTokenMalformedException or FormatException)
        {
            return null;
        }
    }

    /// <summary>True when one of <paramref name="keys"/> verifies the signature under <paramref name="algorithm"/>.</summary>
    public static async Task<bool> VerifiesAsync(JsonWebToken token, IReadOnlyList<SecurityKey> keys, string algorithm)
    {
        if (keys.Count == 0)
        {
            return false;
        }
        // The parsed token itself, not its text: parsing it again would repeat work already done.
        var result = await Handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = keys,
            ValidAlgorithms = [algorithm],
            TryAllIssuerSigningKeys = true,
            RequireSignedTokens = true,
            // Issuer, audience and lifetime carry protocol-specific rules and messages: the caller checks them.
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
        });
        return result.IsValid;
    }
}
