using Parapet.Protocol.Errors;

namespace Parapet.Protocol.Clients.Certificates;

/// <summary>The certificate metadata of a client (RFC 8705 §2.1.2, §3.4), checked for <see cref="ClientMetadataValidator"/>.</summary>
internal static class TlsClientAuthRegistration
{
    /// <summary>
    /// The subject to store: the one sent, else the stored one on update, and only for <c>tls_client_auth</c>; a client
    /// switching to another method drops it.
    /// </summary>
    public static Checked<TlsClientAuthSubject?> Subject(ClientMetadata metadata, Client? existing, string method)
    {
        var sent = metadata.TlsClientAuthSubjects;
        var fields = string.Join(", ", TlsClientAuthSubject.Fields);
        if (sent.Count > 1)
        {
            return OAuthErrors.ClientMetadata($"Register exactly one certificate subject, not {string.Join(" and ", sent.Select(s => s.Field))} (RFC 8705 §2.1.2).");
        }
        if (method != ClientAuthMethods.TlsClientAuth)
        {
            return sent.Count == 0
                ? (TlsClientAuthSubject?)null
                : OAuthErrors.ClientMetadata($"{sent[0].Field} is for token_endpoint_auth_method 'tls_client_auth' only (RFC 8705 §2.1.2).");
        }
        var subject = sent.Count == 1 ? sent[0] : existing?.TlsClientAuthSubject;
        if (subject is null)
        {
            return OAuthErrors.ClientMetadata($"token_endpoint_auth_method 'tls_client_auth' needs exactly one of: {fields} (RFC 8705 §2.1.2).");
        }
        return subject.Problem() is { } problem ? OAuthErrors.ClientMetadata(problem) : subject;
    }
}
