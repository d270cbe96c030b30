using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Clients.Authentication;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;

namespace Parapet.Protocol.Tests.Clients;

/// <summary>RFC 7523 §3 as <see cref="ClientAssertion"/> applies it, without HTTP or storage.</summary>
public sealed class ClientAssertionTests
{
    private const string ClientId = "app";
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly ServerProperties Properties = new() { Issuer = "https://as.example" };
    private static readonly ServerProperties Fapi = Properties with { FapiCompatibility = true };
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private static readonly RsaSecurityKey Key = new(RSA.Create(2048)) { KeyId = "k1" };

    private static JsonWebToken Token(params (string Name, JsonNode? Value)[] overrides)
    {
        var claims = new JsonObject
        {
            ["iss"] = ClientId,
            ["sub"] = ClientId,
            ["aud"] = "https://as.example",
            ["exp"] = Now.AddSeconds(60).ToUnixTimeSeconds(),
            ["iat"] = Now.ToUnixTimeSeconds(),
            ["jti"] = "jti-1",
        };
        foreach (var (name, value) in overrides)
        {
            if (value is null)
            {
                claims.Remove(name);
            }
            else
            {
                claims[name] = value;
            }
        }
        return Handler.ReadJsonWebToken(Handler.CreateToken(claims.ToJsonString(), new SigningCredentials(Key, "PS256")));
    }

    public static TheoryData<string, string?> Claims() => new()
    {
        // claims (JSON members to override; "-name" removes), expected problem (null: accepted)
        { "", null },
        { """{"aud":"https://as.example/token"}""", null },
        { """{"aud":"https://as.example/par"}""", null },
        { """{"aud":["https://x.example","https://as.example"]}""", null },
        { """{"aud":"https://x.example"}""", "aud names neither the issuer, the token endpoint nor the PAR endpoint" },
        { "-aud", "aud missing" },
        { """{"iss":"other"}""", "iss is not the client_id" },
        { """{"sub":"other"}""", "sub is not the client_id" },
        { "-exp", "exp missing" },
        { "-jti", "jti missing" },
        { $$"""{"exp":{{Now.ToUnixTimeSeconds()}}}""", "expired" },
        { $$"""{"exp":{{Now.AddSeconds(360).ToUnixTimeSeconds()}}}""", null },
        { $$"""{"exp":{{Now.AddSeconds(361).ToUnixTimeSeconds()}}}""", "exp more than 5 minutes ahead" },
        { $$"""{"iat":{{Now.AddSeconds(60).ToUnixTimeSeconds()}}}""", null },
        { $$"""{"iat":{{Now.AddSeconds(61).ToUnixTimeSeconds()}}}""", "iat in the future" },
        { $$"""{"nbf":{{Now.AddSeconds(61).ToUnixTimeSeconds()}}}""", "nbf in the future" },
    };

    [Theory]
    [MemberData(nameof(Claims))]
    public void Claims_are_checked_as_rfc7523_says(string overrides, string? problem)
    {
        Assert.Equal(problem, ClientAssertion.CheckClaims(Token(Parse(overrides)), ClientId, Properties, fapi: false, Now));
    }

    [Theory]
    [InlineData("\"https://as.example\"", null)]
    [InlineData("[\"https://as.example\"]", "aud must be the issuer as a single string (FAPI 2.0)")]
    [InlineData("\"https://as.example/token\"", "aud must be the issuer as a single string (FAPI 2.0)")]
    [InlineData("\"https://as.example/par\"", "aud must be the issuer as a single string (FAPI 2.0)")]
    public void Fapi_mode_accepts_only_the_issuer_as_a_single_string(string aud, string? problem)
    {
        Assert.Equal(problem, ClientAssertion.CheckClaims(Token(("aud", JsonNode.Parse(aud))), ClientId, Fapi, fapi: true, Now));
    }

    /// <summary>A registered claim of the wrong JSON type makes the token unreadable, which the authenticators treat as no assertion.</summary>
    [Theory]
    [InlineData("""{"alg":"PS256"}""", """{"aud":42}""")]
    [InlineData("""{"alg":"PS256"}""", """{"exp":"soon"}""")]
    [InlineData("""not json""", """{}""")]
    public void A_token_with_malformed_members_is_not_read(string header, string payload)
    {
        Assert.Null(JwtSignature.Read($"{Base64UrlEncoder.Encode(header)}.{Base64UrlEncoder.Encode(payload)}.c2ln"));
    }

    [Fact]
    public void Fapi_mode_allows_only_ps256_and_es256()
    {
        Assert.Equal(["RS256", "PS256", "ES256"], ClientKeyResolver.Algorithms(fapi: false));
        Assert.Equal(["PS256", "ES256"], ClientKeyResolver.Algorithms(fapi: true));
    }

    [Fact]
    public async Task The_jti_is_spent_once_and_only_after_the_signature_verified()
    {
        var replays = new MemoryReplayCache();
        var assertion = new ClientAssertion(replays, new FakeTimeProvider(Now));
        var client = new Client { ClientId = ClientId };

        var forged = await assertion.VerifyAsync(Token(), client, Properties, () => Task.FromResult<string?>("bad signature"), default);
        var first = await assertion.VerifyAsync(Token(), client, Properties, () => Task.FromResult<string?>(null), default);
        var replayed = await assertion.VerifyAsync(Token(), client, Properties, () => Task.FromResult<string?>(null), default);

        Assert.Equal("bad signature", forged);
        Assert.Null(first);
        Assert.Equal("jti already used (replayed assertion)", replayed);
        Assert.Equal(Now.AddSeconds(60), Assert.Single(replays.Recorded.Values));
    }

    [Fact]
    public async Task The_same_jti_from_two_clients_is_two_identifiers()
    {
        var replays = new MemoryReplayCache();
        var assertion = new ClientAssertion(replays, new FakeTimeProvider(Now));
        var other = Token(("iss", "other"), ("sub", "other"));

        Assert.Null(await assertion.VerifyAsync(Token(), new Client { ClientId = ClientId }, Properties, () => Task.FromResult<string?>(null), default));
        Assert.Null(await assertion.VerifyAsync(other, new Client { ClientId = "other" }, Properties, () => Task.FromResult<string?>(null), default));
    }

    private static (string, JsonNode?)[] Parse(string overrides) => overrides switch
    {
        "" => [],
        _ when overrides.StartsWith('-') => [(overrides[1..], null)],
        _ => JsonNode.Parse(overrides)!.AsObject().Select(p => (p.Key, p.Value?.DeepClone())).ToArray(),
    };

    private sealed class MemoryReplayCache : IReplayCache
    {
        public Dictionary<string, DateTimeOffset> Recorded { get; } = [];

        public Task<bool> TryRecordAsync(string key, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken ct) =>
            Task.FromResult(Recorded.TryAdd(key, expiresAt));
    }
}
