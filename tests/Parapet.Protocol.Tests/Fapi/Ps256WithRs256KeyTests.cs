using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Parapet.Protocol.Tests.Fapi;

/// <summary>
/// The server keeps its RSA key as a JWK whose stored <c>alg</c> is RS256 and signs PS256 with it for FAPI clients; this pins
/// that the token library neither refuses to sign nor to verify PS256 with such a key (the published copy has no alg at all).
/// </summary>
public sealed class Ps256WithRs256KeyTests
{
    [Fact]
    public async Task A_jwk_stored_for_rs256_signs_and_verifies_ps256()
    {
        using var rsa = RSA.Create(2048);
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(rsa.ExportParameters(true)));
        jwk.Kid = "k1";
        jwk.Alg = SecurityAlgorithms.RsaSha256;
        var handler = new JsonWebTokenHandler();

        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://as.example",
            Audience = "app",
            Expires = DateTime.UtcNow.AddMinutes(1),
            SigningCredentials = new SigningCredentials(jwk, SecurityAlgorithms.RsaSsaPssSha256),
        });
        var result = await handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "https://as.example",
            ValidAudience = "app",
            IssuerSigningKeys = [jwk],
        });

        Assert.Equal("PS256", new JsonWebToken(token).Alg);
        Assert.True(result.IsValid, result.Exception?.Message);
    }
}
