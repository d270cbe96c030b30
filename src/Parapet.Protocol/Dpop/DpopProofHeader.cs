using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;

namespace Parapet.Protocol.Dpop;

/// <summary>
/// The JOSE header of a DPoP proof (RFC 9449 §4.2, §4.3 items 2–6): one JWS with <c>typ: dpop+jwt</c>, an accepted
/// asymmetric <c>alg</c>, and the public key as <c>jwk</c>, which must not carry private members.
/// </summary>
internal static class DpopProofHeader
{
    public const string Type = "dpop+jwt";

    /// <summary>RFC 7518 §6.2.2, §6.3.2 and §6.4: the members that would make a JWK a private or symmetric key.</summary>
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    public static Checked<(JsonWebToken Token, JsonWebKey Key)> Read(string compact, ServerProperties properties)
    {
        JsonWebToken token;
        try
        {
            token = new JsonWebToken(compact);
        }
        catch (ArgumentException)
        {
            return OAuthErrors.DpopNotAJwt();
        }
        if (token.IsEncrypted)
        {
            return OAuthErrors.DpopNotAJwt();
        }
        if (!string.Equals(token.Typ, Type, StringComparison.OrdinalIgnoreCase))
        {
            return OAuthErrors.DpopType();
        }
        if (!properties.DpopSigningAlgValuesSupported.Contains(token.Alg, StringComparer.Ordinal) || !DpopAlgorithms.Asymmetric.Contains(token.Alg))
        {
            return OAuthErrors.DpopAlgorithm(token.Alg ?? "", properties.DpopSigningAlgValuesSupported);
        }
        var key = ReadKey(token);
        return key.Failed ? key.Error! : (token, key.Value!);
    }

    private static Checked<JsonWebKey> ReadKey(JsonWebToken token)
    {
        using var header = JsonDocument.Parse(Base64UrlEncoder.Decode(token.EncodedHeader));
        if (!header.RootElement.TryGetProperty("jwk", out var jwk) || jwk.ValueKind != JsonValueKind.Object)
        {
            return OAuthErrors.DpopJwkMissing();
        }
        if (PrivateMembers.Any(m => jwk.TryGetProperty(m, out _)))
        {
            return OAuthErrors.DpopJwkPrivate();
        }
        try
        {
            var key = new JsonWebKey(jwk.GetRawText());
            var complete = key.Kty switch
            {
                JsonWebAlgorithmsKeyTypes.RSA => !string.IsNullOrEmpty(key.N) && !string.IsNullOrEmpty(key.E),
                JsonWebAlgorithmsKeyTypes.EllipticCurve => !string.IsNullOrEmpty(key.Crv) && !string.IsNullOrEmpty(key.X) && !string.IsNullOrEmpty(key.Y),
                _ => false,
            };
            return complete ? key : OAuthErrors.DpopJwkInvalid();
        }
        catch (ArgumentException)
        {
            return OAuthErrors.DpopJwkInvalid();
        }
    }
}
