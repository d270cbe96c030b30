using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.IdentityModel.JsonWebTokens;
using Parapet.Protocol.Requests;

namespace Parapet.Protocol.Clients.Authentication;

/// <summary>
/// What a client presented to authenticate: an HTTP Basic header and/or body parameters, and the TLS client certificate of the
/// connection when there is one (RFC 8705 §2).
/// </summary>
public sealed record PresentedCredentials(string? BasicClientId, string? BasicSecret, bool BasicPresent, RequestParameters Parameters)
{
    /// <summary>
    /// Reads an <c>Authorization</c> header. RFC 6749 §2.3.1: id and secret are form-urlencoded before base64, so they are decoded after.
    /// A malformed Basic header counts as a failed Basic attempt.
    /// </summary>
    public static PresentedCredentials From(string? authorizationHeader, RequestParameters parameters, X509Certificate2? clientCertificate = null)
    {
        if (!BasicAuthorization.IsBasic(authorizationHeader))
        {
            return With(null, null, basicPresent: false);
        }
        return BasicAuthorization.Split(authorizationHeader!) is (var id, var secret)
            ? With(WebUtility.UrlDecode(id), WebUtility.UrlDecode(secret), basicPresent: true)
            : With(null, null, basicPresent: true);

        PresentedCredentials With(string? id, string? secret, bool basicPresent) =>
            new(id, secret, basicPresent, parameters) { ClientCertificate = clientCertificate };
    }

    /// <summary>
    /// The certificate the client presented in the TLS handshake (or a trusted proxy forwarded). It proves nothing by itself:
    /// only a client registered for a TLS method is authenticated by it.
    /// </summary>
    public X509Certificate2? ClientCertificate { get; init; }

    public bool SecretInBody => Parameters.Has("client_secret");

    private JsonWebToken? _assertion;
    private bool _assertionRead;

    /// <summary>
    /// The jwt-bearer client assertion (RFC 7523 §2.2), parsed on first use: every authenticator asks whether it recognises
    /// it, and the one that does reads it again, so without this one push would parse the same JWT several times.
    /// </summary>
    public JsonWebToken? Assertion
    {
        get
        {
            if (!_assertionRead)
            {
                _assertion = ClientAssertion.Parse(Parameters);
                _assertionRead = true;
            }
            return _assertion;
        }
    }

    /// <summary>
    /// Nothing but <c>client_id</c>: how <c>none</c> and the two TLS methods all present themselves (RFC 8705 §2), so the
    /// client's registered method decides which of them applies.
    /// </summary>
    public bool ClientIdOnly => !BasicPresent && !SecretInBody && !AssertionPresent;
    public bool AssertionPresent => Parameters.Has("client_assertion") || Parameters.Has("client_assertion_type");
}
