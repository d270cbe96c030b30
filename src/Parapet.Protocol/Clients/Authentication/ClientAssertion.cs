using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;

namespace Parapet.Protocol.Clients.Authentication;

/// <summary>
/// The rules a client assertion (RFC 7523 §3, OIDC Core §9) must keep whatever signs it; the signature is each method's own.
/// Every failure is a sentence for the log: the client only ever hears "Client authentication failed".
/// </summary>
public sealed class ClientAssertion(IReplayCache replays, TimeProvider time)
{
    public const string JwtBearerType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>How far ahead <c>exp</c> may be: an assertion is a one-shot credential, not a long-lived token (DESIGN §2.4).</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Allowed clock difference for <c>iat</c>, <c>nbf</c> and the upper bound of <c>exp</c>.</summary>
    public static readonly TimeSpan Skew = TimeSpan.FromSeconds(60);

    /// <summary>The assertion's JWS, or null when the credentials carry no readable jwt-bearer assertion (read once per request).</summary>
    public static JsonWebToken? Read(PresentedCredentials credentials) => credentials.Assertion;

    /// <summary>Parses the jwt-bearer assertion of <paramref name="parameters"/>; null when there is none or it is not a JWS.</summary>
    internal static JsonWebToken? Parse(Requests.RequestParameters parameters) =>
        parameters["client_assertion_type"] == JwtBearerType && JwtSignature.Read(parameters["client_assertion"]) is { IsEncrypted: false } token
            ? token
            : null;

    /// <summary>
    /// Checks the claims, then the signature (<paramref name="verifySignature"/>), then spends the <c>jti</c>, in that order so
    /// an unsigned forgery cannot use up a legitimate client's identifiers.
    /// </summary>
    /// <returns>Null when the assertion authenticates <paramref name="client"/>; otherwise why not.</returns>
    public async Task<string?> VerifyAsync(JsonWebToken token, Client client, ServerProperties properties, Func<Task<string?>> verifySignature, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (CheckClaims(token, client.ClientId, properties, Fapi.FapiProfile.AppliesTo(properties, client), now) is { } claimProblem)
        {
            return claimProblem;
        }
        if (await verifySignature() is { } signatureProblem)
        {
            return signatureProblem;
        }
        // RFC 7523 §3 item 7: the jti may be used only once; keyed per client, so clients cannot collide with each other.
        var key = Hashing.Sha256(client.ClientId + "\n" + token.Id);
        return await replays.TryRecordAsync(key, DateTimeOffset.FromUnixTimeSeconds(token.GetPayloadValue<long>("exp")), now, ct)
            ? null
            : "jti already used (replayed assertion)";
    }

    /// <summary>RFC 7523 §3: iss, sub, aud, exp, iat/nbf, jti. Null when they hold.</summary>
    /// <param name="fapi">FAPI 2.0 applies to the client (its own flag or the server's switch): the narrower <c>aud</c> rule.</param>
    public static string? CheckClaims(JsonWebToken token, string clientId, ServerProperties properties, bool fapi, DateTimeOffset now)
    {
        if (token.Issuer != clientId)
        {
            return "iss is not the client_id";
        }
        if (token.Subject != clientId)
        {
            return "sub is not the client_id";
        }
        if (AudienceProblem(token, properties, fapi) is { } audience)
        {
            return audience;
        }
        if (!token.TryGetPayloadValue<long>("exp", out var exp))
        {
            return "exp missing";
        }
        var expires = DateTimeOffset.FromUnixTimeSeconds(exp);
        if (expires <= now)
        {
            return "expired";
        }
        if (expires > now + MaxLifetime + Skew)
        {
            return $"exp more than {MaxLifetime.TotalMinutes} minutes ahead";
        }
        foreach (var name in (string[])["iat", "nbf"])
        {
            if (token.TryGetPayloadValue<long>(name, out var at) && DateTimeOffset.FromUnixTimeSeconds(at) > now + Skew)
            {
                return $"{name} in the future";
            }
        }
        if (string.IsNullOrEmpty(token.Id))
        {
            return "jti missing";
        }
        return null;
    }

    /// <summary>
    /// RFC 7523 §3 and RFC 9126 §2: the issuer, the token endpoint or the PAR endpoint, as a string or in an array. FAPI 2.0
    /// §5.3.2.1 narrows it to the issuer as a single string, which the OpenID conformance suite tests.
    /// </summary>
    private static string? AudienceProblem(JsonWebToken token, ServerProperties properties, bool fapi)
    {
        var payload = JsonDocument.Parse(Encoding.UTF8.GetString(Base64Url.Decode(token.EncodedPayload)));
        if (!payload.RootElement.TryGetProperty("aud", out var aud))
        {
            return "aud missing";
        }
        if (fapi)
        {
            return aud.ValueKind == JsonValueKind.String && aud.GetString() == properties.Issuer
                ? null
                : "aud must be the issuer as a single string (FAPI 2.0)";
        }
        string[] accepted = [properties.Issuer, properties.EffectiveTokenEndpoint, properties.EffectiveParEndpoint];
        var values = aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()!],
            JsonValueKind.Array => aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!).ToArray(),
            _ => Array.Empty<string>(),
        };
        return values.Any(accepted.Contains) ? null : "aud names neither the issuer, the token endpoint nor the PAR endpoint";
    }
}
