using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Requests;

namespace Parapet.Protocol.Par;

/// <summary>A verified request object: the authorization request it carries, and until when it may be used.</summary>
public sealed record RequestObject(RequestParameters Parameters, DateTimeOffset ExpiresAt);

/// <summary>
/// Reads the <c>request</c> parameter (JAR, RFC 9101) at <c>/par</c>: verifies it with the client's keys and turns its claims
/// into the authorization request's parameters. RFC 9126 §3: the request object's parameters are the request; the form's
/// other parameters are ignored.
/// </summary>
public sealed class RequestObjectReader(ClientKeyResolver keys, RequestObjectDecryptor decryptor, TimeProvider time)
{
    /// <summary>The JWT's own claims (RFC 7519 §4.1): they describe the request object, not the authorization request.</summary>
    private static readonly string[] JwtClaims = ["iss", "aud", "exp", "nbf", "iat", "jti", "sub"];

    public async Task<Checked<RequestObject>> ReadAsync(string compact, Client client, ServerProperties properties, CancellationToken ct)
    {
        if (!properties.RequestParameterSupported)
        {
            return OAuthErrors.RequestObjectNotSupported();
        }
        var token = JwtSignature.Read(compact);
        if (token is null)
        {
            return OAuthErrors.RequestObjectMalformed();
        }
        var encrypted = token.IsEncrypted;
        if (encrypted)
        {
            var inner = await NestedTokenAsync(token, ct);
            if (inner.Failed)
            {
                return inner.Error!;
            }
            token = inner.Value!;
        }
        if (await SignatureProblemAsync(token, client, properties, encrypted, ct) is { } signature)
        {
            return signature;
        }
        if (ClaimsProblem(token, client, properties, time.GetUtcNow()) is { } claims)
        {
            return claims;
        }
        var parameters = Parameters(token);
        if (parameters.Failed)
        {
            return parameters.Error!;
        }
        return new RequestObject(parameters.Value!, DateTimeOffset.FromUnixTimeSeconds(token.GetPayloadValue<long>("exp")));
    }

    /// <summary>
    /// RFC 9101 §4 and §6.1: an encrypted request object is a Nested JWT, signed then encrypted to the server's key; its
    /// plaintext must be a JWS (or an unsecured JWT where those are allowed), never claims in the clear or another JWE.
    /// </summary>
    private async Task<Checked<JsonWebToken>> NestedTokenAsync(JsonWebToken jwe, CancellationToken ct)
    {
        var plaintext = await decryptor.DecryptAsync(jwe, ct);
        if (plaintext.Failed)
        {
            return plaintext.Error!;
        }
        var inner = JwtSignature.Read(plaintext.Value);
        return inner is null || inner.IsEncrypted ? OAuthErrors.RequestObjectEncryptedPayloadInvalid() : inner;
    }

    /// <summary>RFC 9101 §6.1–6.2: the client's key and an accepted alg; <c>none</c> only when neither forced signing nor FAPI forbids it.</summary>
    private async Task<OAuthError?> SignatureProblemAsync(JsonWebToken token, Client client, ServerProperties properties, bool encrypted, CancellationToken ct)
    {
        if (token.Alg == "none")
        {
            var forbidden = properties.ForceSignedRequestObject || Fapi.FapiProfile.AppliesTo(properties, client) || token.EncodedSignature.Length > 0;
            return !forbidden ? null : encrypted ? OAuthErrors.RequestObjectEncryptedUnsigned() : OAuthErrors.RequestObjectUnsigned();
        }
        var allowed = ClientKeyResolver.Algorithms(Fapi.FapiProfile.AppliesTo(properties, client));
        if (!allowed.Contains(token.Alg))
        {
            return OAuthErrors.RequestObjectAlgorithm(token.Alg, allowed);
        }
        var problem = await keys.VerifyAsync(token, client, token.Alg, ct);
        return problem is null ? null : OAuthErrors.RequestObjectSignatureInvalid() with { LogDetail = $"request object of client {client.ClientId}: {problem}" };
    }

    /// <summary>RFC 9101 §4 and §6.3 (FAPI 2.0 message signing adds nothing JAR lacks here): iss, client_id, aud, exp, nbf.</summary>
    private static OAuthError? ClaimsProblem(JsonWebToken token, Client client, ServerProperties properties, DateTimeOffset now)
    {
        // Unsigned objects prove nothing about their issuer, so iss is required only when signed (RFC 9101 §4: SHOULD contain iss).
        var signed = token.Alg != "none";
        if ((signed || token.TryGetPayloadValue<string>("iss", out _)) && token.Issuer != client.ClientId)
        {
            return OAuthErrors.RequestObjectIssuerMismatch();
        }
        if (!token.TryGetPayloadValue<string>("client_id", out var clientId) || clientId != client.ClientId)
        {
            return OAuthErrors.RequestObjectClientIdMismatch();
        }
        if (!token.Audiences.Contains(properties.Issuer))
        {
            return OAuthErrors.RequestObjectAudienceInvalid(properties.Issuer);
        }
        if (!token.TryGetPayloadValue<long>("exp", out var exp))
        {
            return OAuthErrors.RequestObjectExpMissing();
        }
        // Whole seconds: a request object with less than one second left could not yield a usable expires_in.
        if (DateTimeOffset.FromUnixTimeSeconds(exp) < now.AddSeconds(1))
        {
            return OAuthErrors.RequestObjectExpired();
        }
        if (token.TryGetPayloadValue<long>("nbf", out var nbf) && DateTimeOffset.FromUnixTimeSeconds(nbf) > now + Clients.Authentication.ClientAssertion.Skew)
        {
            return OAuthErrors.RequestObjectNotYetValid();
        }
        return null;
    }

    /// <summary>
    /// The payload's authorization parameters as form-like values: strings as they are, numbers and booleans as their JSON
    /// text (<c>max_age</c>), objects as JSON text (<c>claims</c>, OIDC Core §6.1). The same limits as a form apply.
    /// </summary>
    private static Checked<RequestParameters> Parameters(JsonWebToken token)
    {
        using var payload = JsonDocument.Parse(Encoding.UTF8.GetString(Base64Url.Decode(token.EncodedPayload)));
        if (payload.RootElement.ValueKind != JsonValueKind.Object)
        {
            return OAuthErrors.RequestObjectClaimsInvalid();
        }
        var pairs = new List<KeyValuePair<string, IReadOnlyList<string?>>>();
        foreach (var claim in payload.RootElement.EnumerateObject())
        {
            if (claim.Name == "request_uri")
            {
                return OAuthErrors.RequestObjectContainsRequestUri();
            }
            if (claim.Name == "request")
            {
                return OAuthErrors.RequestObjectContainsRequest();
            }
            if (JwtClaims.Contains(claim.Name) || claim.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            string? value = claim.Value.ValueKind switch
            {
                JsonValueKind.String => claim.Value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => claim.Value.GetRawText(),
                JsonValueKind.Object => claim.Value.GetRawText(),
                _ => null,
            };
            if (value is null)
            {
                return OAuthErrors.RequestObjectClaimsInvalid();
            }
            pairs.Add(new(claim.Name, [value]));
        }
        return RequestParameters.From(pairs);
    }
}
