using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Parapet.Protocol.Clients;

namespace Parapet.Protocol.Tests.Clients;

/// <summary>Signature checks with a client's keys: kid selection, the jwks_uri cache and its one refetch.</summary>
public sealed class ClientKeyResolverTests
{
    private static readonly JsonWebTokenHandler Handler = new();
    private static readonly RsaSecurityKey A = new(RSA.Create(2048)) { KeyId = "a" };
    private static readonly RsaSecurityKey B = new(RSA.Create(2048)) { KeyId = "b" };
    private static readonly Client ByUri = new() { ClientId = "app", JwksUri = "https://client.example/jwks" };

    private static string Jwks(params RsaSecurityKey[] keys) => new JsonObject
    {
        ["keys"] = new JsonArray(keys.Select(k =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(k.Rsa.ExportParameters(false)) { KeyId = k.KeyId });
            return (JsonNode)new JsonObject { ["kty"] = "RSA", ["kid"] = jwk.Kid, ["n"] = jwk.N, ["e"] = jwk.E };
        }).ToArray()),
    }.ToJsonString();

    private static JsonWebToken Signed(RsaSecurityKey key) =>
        Handler.ReadJsonWebToken(Handler.CreateToken("""{"iss":"app"}""", new SigningCredentials(key, "PS256")));

    [Fact]
    public async Task Inline_jwks_verifies_by_kid()
    {
        var resolver = new ClientKeyResolver(new Fetcher(""), new FakeTimeProvider());
        var client = new Client { ClientId = "app", Jwks = Jwks(A, B) };

        Assert.Null(await resolver.VerifyAsync(Signed(B), client, "PS256", default));
        Assert.Equal("the client has no key with kid 'z' for alg PS256", await resolver.VerifyAsync(Signed(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "z" }), client, "PS256", default));
        Assert.Equal("bad signature", await resolver.VerifyAsync(Signed(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "a" }), client, "PS256", default));
    }

    [Fact]
    public async Task Jwks_uri_is_cached_for_five_minutes()
    {
        var fetcher = new Fetcher(Jwks(A));
        var time = new FakeTimeProvider();
        var resolver = new ClientKeyResolver(fetcher, time);

        await resolver.VerifyAsync(Signed(A), ByUri, "PS256", default);
        time.Advance(TimeSpan.FromMinutes(4));
        await resolver.VerifyAsync(Signed(A), ByUri, "PS256", default);
        Assert.Equal(1, fetcher.Calls);

        time.Advance(TimeSpan.FromMinutes(1));
        await resolver.VerifyAsync(Signed(A), ByUri, "PS256", default);
        Assert.Equal(2, fetcher.Calls);
    }

    [Fact]
    public async Task An_unknown_kid_refetches_once_and_finds_a_rotated_key()
    {
        var fetcher = new Fetcher(Jwks(A));
        var time = new FakeTimeProvider();
        var resolver = new ClientKeyResolver(fetcher, time);
        await resolver.VerifyAsync(Signed(A), ByUri, "PS256", default);

        fetcher.Document = Jwks(A, B);
        time.Advance(ClientKeyResolver.MinimumRefetchInterval);

        Assert.Null(await resolver.VerifyAsync(Signed(B), ByUri, "PS256", default));
        Assert.Equal(2, fetcher.Calls);
    }

    [Fact]
    public async Task Unknown_kids_in_quick_succession_cause_no_refetch()
    {
        var fetcher = new Fetcher(Jwks(A));
        var resolver = new ClientKeyResolver(fetcher, new FakeTimeProvider());
        await resolver.VerifyAsync(Signed(A), ByUri, "PS256", default);

        await resolver.VerifyAsync(Signed(B), ByUri, "PS256", default);
        await resolver.VerifyAsync(Signed(B), ByUri, "PS256", default);

        Assert.Equal(1, fetcher.Calls);
    }

    [Fact]
    public async Task A_failed_fetch_is_reported_and_not_cached()
    {
        var fetcher = new Fetcher(null);
        var resolver = new ClientKeyResolver(fetcher, new FakeTimeProvider());

        Assert.Equal("the client's jwks_uri could not be fetched or is not a JWK Set", await resolver.VerifyAsync(Signed(A), ByUri, "PS256", default));
        fetcher.Document = Jwks(A);
        Assert.Null(await resolver.VerifyAsync(Signed(A), ByUri, "PS256", default));
    }

    private sealed class Fetcher(string? document) : IJwksFetcher
    {
        public string? Document { get; set; } = document;
        public int Calls { get; private set; }

        public Task<string?> FetchAsync(Uri jwksUri, CancellationToken ct)
        {
            Calls++;
            return Task.FromResult(Document);
        }
    }
}
