using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.JwtAuth;

/// <summary>A client's signing key: the private half signs in the test, the public half is registered.</summary>
public sealed class ClientKey
{
    private ClientKey(SecurityKey key, JsonWebKey publicJwk, string alg)
    {
        Key = key;
        PublicJwk = publicJwk;
        Algorithm = alg;
    }

    public SecurityKey Key { get; }
    public JsonWebKey PublicJwk { get; }
    public string Algorithm { get; }
    public string Kid => Key.KeyId;

    public static ClientKey Rsa(string kid, string alg = "PS256")
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = kid };
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(key.Rsa.ExportParameters(false)) { KeyId = kid });
        return new ClientKey(key, jwk, alg);
    }

    public static ClientKey Ec(string kid)
    {
        var key = new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = kid };
        var pub = ECDsa.Create(key.ECDsa.ExportParameters(false));
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(pub) { KeyId = kid });
        return new ClientKey(key, jwk, "ES256");
    }

    /// <summary>The same key under another algorithm (e.g. RS256 with an RSA key).</summary>
    public ClientKey As(string alg) => new(Key, PublicJwk, alg);

    public JsonObject PublicJson()
    {
        var o = new JsonObject { ["kty"] = PublicJwk.Kty, ["kid"] = PublicJwk.Kid, ["use"] = "sig" };
        if (PublicJwk.Kty == "RSA")
        {
            o["n"] = PublicJwk.N;
            o["e"] = PublicJwk.E;
        }
        else
        {
            o["crv"] = PublicJwk.Crv;
            o["x"] = PublicJwk.X;
            o["y"] = PublicJwk.Y;
        }
        return o;
    }

    public static JsonObject Set(params ClientKey[] keys) => new() { ["keys"] = new JsonArray(keys.Select(k => (JsonNode)k.PublicJson()).ToArray()) };
}

/// <summary>Builds JWTs for the tests: client assertions and request objects, with any claim overridden or removed.</summary>
public static class Jwts
{
    public const string JwtBearer = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>RFC 7523 claims for <paramref name="clientId"/> at <paramref name="now"/>; overrides replace (or with null remove) claims.</summary>
    public static JsonObject AssertionClaims(string clientId, DateTimeOffset now, params (string Name, JsonNode? Value)[] overrides)
    {
        var claims = new JsonObject
        {
            ["iss"] = clientId,
            ["sub"] = clientId,
            ["aud"] = ParapetTestServer.Issuer,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddSeconds(60).ToUnixTimeSeconds(),
            ["jti"] = Guid.NewGuid().ToString("N"),
        };
        return Apply(claims, overrides);
    }

    public static JsonObject Apply(JsonObject claims, params (string Name, JsonNode? Value)[] overrides)
    {
        foreach (var (name, value) in overrides)
        {
            if (value is null)
            {
                claims.Remove(name);
            }
            else
            {
                claims[name] = value.DeepClone();
            }
        }
        return claims;
    }

    public static string Sign(JsonObject claims, ClientKey key) =>
        Handler.CreateToken(claims.ToJsonString(), new SigningCredentials(key.Key, key.Algorithm));

    public static string SignWithSecret(JsonObject claims, string secret, string alg = "HS256") =>
        Handler.CreateToken(claims.ToJsonString(), new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), alg));

    /// <summary>An unsecured JWT (RFC 7519 §6): alg none, empty signature.</summary>
    public static string Unsecured(JsonObject claims) =>
        $"{B64("""{"alg":"none"}""")}.{B64(claims.ToJsonString())}.";

    /// <summary>The form members of a jwt-bearer client assertion (RFC 7523 §2.2).</summary>
    public static (string, string?)[] AssertionForm(string assertion) => [("client_assertion_type", JwtBearer), ("client_assertion", assertion)];

    /// <summary>POST /par with <paramref name="form"/> as <paramref name="clientId"/>, authenticated by a private_key_jwt assertion signed with <paramref name="key"/>.</summary>
    public static Task<HttpResponseMessage> PostParWithAssertionAsync(this ParapetTestServer server, string clientId, ClientKey key, IEnumerable<KeyValuePair<string, string>> form) =>
        server.PostParAsync(form.Concat(AssertionForm(Sign(AssertionClaims(clientId, server.Time.GetUtcNow()), key)).Select(p => KeyValuePair.Create(p.Item1, p.Item2!))), null);

    private static string B64(string text) => Base64UrlEncoder.Encode(text);
}

/// <summary>Stands in for the client's jwks_uri server: serves the current JWKS and counts the fetches.</summary>
public sealed class JwksEndpoint : HttpMessageHandler
{
    public const string Uri = "https://client.example/jwks";

    public volatile string Document = """{"keys":[]}""";
    private int _fetches;

    public int Fetches => _fetches;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _fetches);
        var found = request.RequestUri?.ToString() == Uri;
        return Task.FromResult(new HttpResponseMessage(found ? System.Net.HttpStatusCode.OK : System.Net.HttpStatusCode.NotFound)
        {
            Content = new StringContent(found ? Document : "", Encoding.UTF8, "application/json"),
        });
    }

    /// <summary>Routes the server's jwks_uri fetches to this handler.</summary>
    public void Install(IServiceCollection services) =>
        services.AddHttpClient(Hosting.HttpJwksFetcher.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => this);
}
