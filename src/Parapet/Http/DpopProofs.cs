using Parapet.Protocol.Dpop;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;

namespace Parapet.Http;

/// <summary>
/// Reads the <c>DPoP</c> header of a request to <c>/par</c>, <c>/token</c> or <c>/userinfo</c> and has the protocol's
/// validator check it against the URL the endpoint is published under (RFC 9449 §4.3). While <c>dpopUseNonce</c> is on,
/// every answer of these endpoints carries a fresh nonce (RFC 9449 §8.2).
/// </summary>
internal sealed class DpopProofs(DpopProofValidator validator, IDpopNonces nonces)
{
    public const string Header = "DPoP";
    public const string NonceHeader = "DPoP-Nonce";

    /// <summary>The verified proof; no value (and no error) when the request carries none.</summary>
    /// <param name="urls">What the proof's htu may be (<see cref="ParUrls"/>, …): worked out only when a proof came.</param>
    public async Task<Checked<DpopProof?>> ReadAsync(HttpContext http, Func<ServerProperties, IReadOnlyList<string>> urls, ServerProperties properties, string? accessToken = null)
    {
        if (properties.DpopUseNonce)
        {
            http.Response.Headers[NonceHeader] = nonces.Current(properties);
        }
        var values = http.Request.Headers[Header];
        if (values.Count == 0)
        {
            return default;
        }
        // RFC 9449 §4.3 item 1: exactly one header with one JWT (a JWT has no comma, so a comma means a folded second one).
        if (values.Count > 1 || values[0] is not { Length: > 0 } compact || compact.Contains(','))
        {
            return OAuthErrors.DpopHeaderRepeated();
        }
        var proof = await validator.ValidateAsync(compact.Trim(), new DpopRequest(http.Request.Method, urls(properties), accessToken), properties, http.RequestAborted);
        if (proof.Failed)
        {
            return proof.Error!;
        }
        return proof.Value;
    }

    /// <summary>
    /// What an htu may be for each endpoint: the URL published in discovery, the issuer-based one (the route is fixed), and the
    /// mTLS alias when one is published (RFC 8705 §5). Never the URL the request happened to reach behind a proxy.
    /// </summary>
    public static IReadOnlyList<string> ParUrls(ServerProperties p) => Urls(p, p.EffectiveParEndpoint, "/par", p.MtlsParEndpoint);
    public static IReadOnlyList<string> TokenUrls(ServerProperties p) => Urls(p, p.EffectiveTokenEndpoint, "/token", p.MtlsTokenEndpoint);
    public static IReadOnlyList<string> UserInfoUrls(ServerProperties p) => Urls(p, p.EffectiveUserInfoEndpoint, "/userinfo", p.MtlsUserInfoEndpoint);

    private static string[] Urls(ServerProperties p, string published, string route, string mtlsAlias) =>
        new[] { published, p.Issuer.TrimEnd('/') + route, mtlsAlias }.Where(u => !string.IsNullOrWhiteSpace(u)).Distinct().ToArray();
}
