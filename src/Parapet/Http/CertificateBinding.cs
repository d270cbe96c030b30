using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Token;

namespace Parapet.Http;

/// <summary>Certificate-bound access tokens (RFC 8705 §3): which certificate a token is bound to at issue, and the check at use.</summary>
internal static class CertificateBinding
{
    public const string Member = "x5t#S256";

    /// <summary>
    /// The thumbprint to bind the client's new tokens to: the certificate it authenticated with (tls_client_auth,
    /// self_signed_tls_client_auth), or the one it presented when it registered tls_client_certificate_bound_access_tokens.
    /// Null when the client's tokens are not certificate-bound. On a refresh this is the certificate presented now.
    /// </summary>
    public static Checked<string?> ForTokenRequest(HttpContext http, ClientCertificates certificates, Client client)
    {
        var bound = ClientAuthMethods.CertificateBased.Contains(client.TokenEndpointAuthMethod) || client.TlsClientCertificateBoundAccessTokens;
        if (!bound)
        {
            return (string?)null;
        }
        return certificates.Thumbprint(http) is { } thumbprint ? thumbprint : OAuthErrors.ClientCertificateRequired();
    }

    /// <summary>Null when the token is unbound or the request presents the certificate it is bound to (RFC 8705 §3).</summary>
    public static OAuthError? Problem(HttpContext http, ClientCertificates certificates, JsonWebToken token)
    {
        if (ConfirmationClaim.Read(token)?[Member] is not JsonValue bound || !bound.TryGetValue<string>(out var expected))
        {
            return null;
        }
        return certificates.Thumbprint(http) == expected ? null : OAuthErrors.TokenCertificateMismatch();
    }
}
