using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Flow;

/// <summary>
/// How a pushing client authenticates (RFC 9126 §2: as at the token endpoint), one per method the push bench compares.
/// JWT assertions are made per request, as a real client makes them (a fresh <c>jti</c> each time, the server refuses a replay).
/// </summary>
internal abstract class PushCredentials
{
    public abstract string Method { get; }

    /// <summary>Adds the credentials to the request: a header, or parameters appended to <paramref name="form"/>.</summary>
    public abstract void Apply(HttpRequestMessage request, StringBuilder form);

    public static PushCredentials Create(Options options)
    {
        var clientId = options.Get("client-id");
        var audience = options.Get("audience", options.Get("url").TrimEnd('/'));
        return options.Get("method") switch
        {
            "client_secret_basic" => new Basic(clientId, options.Get("client-secret")),
            "client_secret_post" => new Post(clientId, options.Get("client-secret")),
            "client_secret_jwt" => new Assertion("client_secret_jwt", clientId, audience,
                new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.Get("client-secret"))), SecurityAlgorithms.HmacSha256)),
            "private_key_jwt" => new Assertion("private_key_jwt", clientId, audience, PrivateKey(options.Get("key-file"), options.Get("key-id"))),
            // Public client, and the mTLS methods: the certificate is on the connection (see PushRun), the body names the client.
            "none" or "tls_client_auth" or "self_signed_tls_client_auth" => new ClientIdOnly(options.Get("method"), clientId),
            var other => throw new ArgumentException($"unknown --method {other}"),
        };
    }

    private static SigningCredentials PrivateKey(string pemFile, string keyId)
    {
        var ec = ECDsa.Create();
        ec.ImportFromPem(File.ReadAllText(pemFile));
        return new SigningCredentials(new ECDsaSecurityKey(ec) { KeyId = keyId }, SecurityAlgorithms.EcdsaSha256);
    }

    private sealed class Basic(string clientId, string secret) : PushCredentials
    {
        // RFC 6749 §2.3.1: both parts form-urlencoded before Base64.
        private readonly AuthenticationHeaderValue _header = new("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.EscapeDataString(clientId) + ":" + Uri.EscapeDataString(secret))));
        public override string Method => "client_secret_basic";
        public override void Apply(HttpRequestMessage request, StringBuilder form)
        {
            request.Headers.Authorization = _header;
            form.Append("&client_id=").Append(Uri.EscapeDataString(clientId)); // as bench/wrk/par.lua sends it
        }
    }

    private sealed class Post(string clientId, string secret) : PushCredentials
    {
        public override string Method => "client_secret_post";
        public override void Apply(HttpRequestMessage request, StringBuilder form) =>
            form.Append("&client_id=").Append(Uri.EscapeDataString(clientId)).Append("&client_secret=").Append(Uri.EscapeDataString(secret));
    }

    private sealed class ClientIdOnly(string method, string clientId) : PushCredentials
    {
        public override string Method => method;
        public override void Apply(HttpRequestMessage request, StringBuilder form) => form.Append("&client_id=").Append(Uri.EscapeDataString(clientId));
    }

    /// <summary>RFC 7523 §2.2 client assertion: iss = sub = client, aud = the issuer, 60 s life, fresh jti.</summary>
    private sealed class Assertion(string method, string clientId, string audience, SigningCredentials signing) : PushCredentials
    {
        private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
        public override string Method => method;

        public override void Apply(HttpRequestMessage request, StringBuilder form)
        {
            var now = DateTime.UtcNow;
            var jwt = Handler.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = clientId,
                Audience = audience,
                IssuedAt = now,
                Expires = now.AddSeconds(60),
                Claims = new Dictionary<string, object> { ["sub"] = clientId, ["jti"] = FlowRun.Base64Url(RandomNumberGenerator.GetBytes(16)) },
                SigningCredentials = signing,
            });
            form.Append("&client_id=").Append(Uri.EscapeDataString(clientId))
                .Append("&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer&client_assertion=").Append(jwt);
        }
    }
}
