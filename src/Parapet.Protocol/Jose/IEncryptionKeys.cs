using Microsoft.IdentityModel.Tokens;

namespace Parapet.Protocol.Jose;

/// <summary>The server's encryption keys: clients encrypt to the public halves published at <c>/jwks</c> with <c>use: "enc"</c>.</summary>
public interface IEncryptionKeys
{
    /// <summary>The public keys, as published at <c>/jwks</c>.</summary>
    IReadOnlyList<JsonWebKey> PublicJwks { get; }

    /// <summary>
    /// The private key a JWE was encrypted to: the one with <paramref name="kid"/> when the header names one, else the key for
    /// <paramref name="alg"/>. Null when the server has no such key.
    /// </summary>
    Task<JsonWebKey?> FindAsync(string? kid, string alg, CancellationToken ct);
}
