using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;

namespace Parapet.Protocol.Dpop;

/// <summary>
/// Checks a DPoP proof JWT against the request it came with (RFC 9449 §4.3): header, signature by its own key, <c>htm</c>,
/// <c>htu</c>, <c>iat</c> window, <c>ath</c> at resources, the server nonce when <c>dpopUseNonce</c> is on, and last the
/// <c>jti</c>, spent once across the deployment (so a forged or stale proof cannot use up a client's identifiers).
/// </summary>
public sealed class DpopProofValidator(IReplayCache replays, IDpopNonces nonces, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new();

    public async Task<Checked<DpopProof>> ValidateAsync(string compact, DpopRequest request, ServerProperties properties, CancellationToken ct)
    {
        var header = DpopProofHeader.Read(compact, properties);
        if (header.Failed)
        {
            return header.Error!;
        }
        var (token, key) = header.Value;
        if (!await SignatureVerifiesAsync(compact, key, properties))
        {
            return OAuthErrors.DpopSignature();
        }
        var now = time.GetUtcNow();
        if (CheckClaims(token, request, properties, now) is { } claimError)
        {
            return claimError;
        }
        if (properties.DpopUseNonce && !(token.TryGetPayloadValue<string>("nonce", out var nonce) && nonces.IsValid(nonce, properties)))
        {
            // RFC 9449 §8: the answer names the nonce to use, so the client retries once with it.
            return OAuthErrors.DpopNonceRequired(nonces.Current(properties));
        }
        var jkt = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        // RFC 9449 §11.1: jti is unique per key; remembered at least until the proof's iat leaves the accepted window.
        var iat = DateTimeOffset.FromUnixTimeSeconds(token.GetPayloadValue<long>("iat"));
        var until = Max(now.AddSeconds(properties.DpopJtiCacheTime), iat.AddSeconds(properties.DpopTimeframe));
        if (!await replays.TryRecordAsync(Hashing.Sha256("dpop\n" + jkt + "\n" + token.Id), until, now, ct))
        {
            return OAuthErrors.DpopReplayed();
        }
        return new DpopProof(jkt);
    }

    private static async Task<bool> SignatureVerifiesAsync(string compact, JsonWebKey key, ServerProperties properties)
    {
        var result = await Handler.ValidateTokenAsync(compact, new TokenValidationParameters
        {
            IssuerSigningKey = key,
            TryAllIssuerSigningKeys = true,
            ValidAlgorithms = properties.DpopSigningAlgValuesSupported,
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
            RequireExpirationTime = false,
            ValidateIssuerSigningKey = false,
        });
        return result.IsValid;
    }

    /// <summary>RFC 9449 §4.3 items 7–11 and §7.1 (ath). Null when they hold.</summary>
    private static OAuthError? CheckClaims(JsonWebToken token, DpopRequest request, ServerProperties properties, DateTimeOffset now)
    {
        if (!token.TryGetPayloadValue<string>("jti", out var jti) || string.IsNullOrEmpty(jti))
        {
            return OAuthErrors.DpopClaimMissing("jti");
        }
        if (!token.TryGetPayloadValue<string>("htm", out var htm))
        {
            return OAuthErrors.DpopClaimMissing("htm");
        }
        if (htm != request.Method)
        {
            return OAuthErrors.DpopMethod(request.Method);
        }
        if (!token.TryGetPayloadValue<string>("htu", out var htu))
        {
            return OAuthErrors.DpopClaimMissing("htu");
        }
        if (!DpopUrl.Matches(htu, request.Urls))
        {
            return OAuthErrors.DpopUrl(request.Urls[0]);
        }
        if (!token.TryGetPayloadValue<long>("iat", out var iatSeconds))
        {
            return OAuthErrors.DpopClaimMissing("iat");
        }
        var age = now - DateTimeOffset.FromUnixTimeSeconds(iatSeconds);
        if (age > TimeSpan.FromSeconds(properties.DpopTimeframe))
        {
            return OAuthErrors.DpopIssuedTooLongAgo(properties.DpopTimeframe);
        }
        if (-age > TimeSpan.FromSeconds(properties.DpopTimeframe))
        {
            return OAuthErrors.DpopIssuedInFuture(properties.DpopTimeframe);
        }
        if (request.AccessToken is { } accessToken)
        {
            if (!token.TryGetPayloadValue<string>("ath", out var ath))
            {
                return OAuthErrors.DpopAccessTokenHashMissing();
            }
            var expected = Base64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ath), Encoding.ASCII.GetBytes(expected)))
            {
                return OAuthErrors.DpopAccessTokenHashMismatch();
            }
        }
        return null;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
