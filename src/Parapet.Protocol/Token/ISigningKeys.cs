using Microsoft.IdentityModel.Tokens;

namespace Parapet.Protocol.Token;

/// <summary>The server's keys: the one that signs now, and every key a token may still be verified with.</summary>
public interface ISigningKeys
{
    /// <summary>RS256, the default for ID and access tokens.</summary>
    SigningCredentials Signing { get; }

    /// <summary>PS256 with the same current RSA key, for clients under FAPI 2.0 (§5.4.1 allows PS256, ES256, EdDSA only).</summary>
    SigningCredentials FapiSigning { get; }

    IReadOnlyList<SecurityKey> VerificationKeys { get; }

    /// <summary>The public keys, as published at <c>/jwks</c>.</summary>
    IReadOnlyList<JsonWebKey> PublicJwks { get; }
}
