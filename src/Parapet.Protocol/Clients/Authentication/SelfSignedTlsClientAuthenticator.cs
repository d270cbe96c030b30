using Parapet.Protocol.Properties;

namespace Parapet.Protocol.Clients.Authentication;

/// <summary>
/// <c>self_signed_tls_client_auth</c> (RFC 8705 §2.2): the presented certificate is one the client registered as the first
/// <c>x5c</c> element of a key in its <c>jwks</c> or <c>jwks_uri</c>. No chain is built: the registration is the trust.
/// </summary>
internal sealed class SelfSignedTlsClientAuthenticator(ClientKeyResolver keys) : IClientAuthenticator
{
    public string Method => ClientAuthMethods.SelfSignedTlsClientAuth;

    public bool Recognises(PresentedCredentials c) => c.ClientIdOnly;

    public string? ClaimedClientId(PresentedCredentials c) => c.Parameters["client_id"];

    public async ValueTask<string?> VerifyAsync(Client client, PresentedCredentials c, ServerProperties properties, CancellationToken ct)
    {
        if (c.ClientCertificate is not { } certificate)
        {
            return "no client certificate presented (use the mTLS endpoint aliases)";
        }
        return await keys.HasCertificateAsync(client, certificate.RawData, ct)
            ? null
            : "certificate is not the first x5c element of any key in the client's JWK Set";
    }
}
