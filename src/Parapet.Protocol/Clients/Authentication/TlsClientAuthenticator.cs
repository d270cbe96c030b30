using Parapet.Protocol.Clients.Certificates;
using Parapet.Protocol.Properties;

namespace Parapet.Protocol.Clients.Authentication;

/// <summary>
/// <c>tls_client_auth</c> (RFC 8705 §2.1): the client's certificate chains to a trust anchor the operator configured and
/// carries the one subject the client registered (§2.1.2).
/// </summary>
internal sealed class TlsClientAuthenticator(ClientCertificateTrust trust) : IClientAuthenticator
{
    public string Method => ClientAuthMethods.TlsClientAuth;

    /// <summary>RFC 8705 §2: the client sends its client_id and nothing else; the certificate comes with the connection.</summary>
    public bool Recognises(PresentedCredentials c) => c.ClientIdOnly;

    public string? ClaimedClientId(PresentedCredentials c) => c.Parameters["client_id"];

    public ValueTask<string?> VerifyAsync(Client client, PresentedCredentials c, ServerProperties properties, CancellationToken ct) =>
        ValueTask.FromResult(Problem(client, c));

    private string? Problem(Client client, PresentedCredentials c)
    {
        if (c.ClientCertificate is not { } certificate)
        {
            return "no client certificate presented (use the mTLS endpoint aliases)";
        }
        if (client.TlsClientAuthSubject is not { } subject)
        {
            return "the client registered no tls_client_auth_* subject";
        }
        if (trust.Problem(certificate) is { } chainProblem)
        {
            return chainProblem;
        }
        // The log names the field, not the certificate: the registered value is the client's own metadata, not a secret, but
        // the presented subject adds nothing the operator cannot read from the client.
        return subject.Matches(certificate) ? null : $"certificate does not match the registered {subject.Field}";
    }
}
