using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;
using Parapet.Protocol.Token;

namespace Parapet.Protocol.Tests.Fakes;

/// <summary>Signs as the server does: RS256 by default, PS256 with the same RSA key for FAPI clients.</summary>
internal sealed class TestSigningKeys : ISigningKeys
{
    private static readonly RsaSecurityKey Key = new(RSA.Create(2048)) { KeyId = "k1" };
    public SigningCredentials Signing { get; } = new(Key, SecurityAlgorithms.RsaSha256);
    public SigningCredentials FapiSigning { get; } = new(Key, SecurityAlgorithms.RsaSsaPssSha256);
    public IReadOnlyList<SecurityKey> VerificationKeys => [Key];
    public IReadOnlyList<JsonWebKey> PublicJwks => [];
}
