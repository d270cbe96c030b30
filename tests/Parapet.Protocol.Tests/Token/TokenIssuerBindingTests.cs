using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Token;
using Parapet.Protocol.Tests.Fakes;

namespace Parapet.Protocol.Tests.Token;

/// <summary>The <c>cnf</c> claim and token type follow the sender proof a grant passes on (RFC 9449 §5–6, RFC 8705 §3).</summary>
public sealed class TokenIssuerBindingTests
{
    private static readonly Client Client = new() { ClientId = "c1", GrantTypes = [GrantTypeNames.ClientCredentials] };

    [Fact]
    public async Task Unbound_issuance_is_a_bearer_token_without_cnf()
    {
        var (response, token) = await IssueAsync(SenderProof.None);

        Assert.Equal("Bearer", response.TokenType);
        Assert.False(token.TryGetPayloadValue<JsonElement>("cnf", out _));
    }

    [Fact]
    public async Task Dpop_bound_issuance_is_a_dpop_token_with_jkt()
    {
        var (response, token) = await IssueAsync(new SenderProof("jkt-value", null));

        Assert.Equal("DPoP", response.TokenType);
        var cnf = token.GetPayloadValue<JsonElement>("cnf");
        Assert.Equal("jkt-value", cnf.GetProperty("jkt").GetString());
        Assert.False(cnf.TryGetProperty("x5t#S256", out _));
    }

    [Fact]
    public async Task Certificate_bound_issuance_stays_bearer_with_x5t_s256()
    {
        var (response, token) = await IssueAsync(new SenderProof(null, "thumb"));

        Assert.Equal("Bearer", response.TokenType);
        var cnf = token.GetPayloadValue<JsonElement>("cnf");
        Assert.Equal("thumb", cnf.GetProperty("x5t#S256").GetString());
        Assert.False(cnf.TryGetProperty("jkt", out _));
    }

    private static async Task<(TokenResponse Response, JsonWebToken Token)> IssueAsync(SenderProof proof)
    {
        var issuer = new TokenIssuer(new TestSigningKeys(), new UnusedTokenStore(), new FakeTimeProvider(DateTimeOffset.UtcNow));
        var issuance = new Issuance(Client, "c1", "api", AuthTime: null, Nonce: null, "g1", IncludeRefreshToken: false, proof);
        var response = await issuer.IssueAsync(issuance, new ServerProperties(), CancellationToken.None);
        return (response, new JsonWebToken(response.AccessToken));
    }
}
