using Parapet.Protocol.Clients.Certificates;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Fapi;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;

namespace Parapet.Protocol.Clients.Authentication;

/// <summary>
/// Authenticates a client the same way at <c>/par</c> and <c>/token</c> (RFC 9126 §2): exactly one method presented,
/// and it must be the client's registered method.
/// </summary>
public sealed class ClientAuthentication(IClientStore clients, ClientAssertion assertion, ClientKeyResolver keys, ISecretVault vault, ClientCertificateTrust trust)
{
    private readonly IClientAuthenticator[] _authenticators =
    [
        new ClientSecretBasicAuthenticator(),
        new ClientSecretPostAuthenticator(),
        new ClientSecretJwtAuthenticator(assertion, vault),
        new PrivateKeyJwtAuthenticator(assertion, keys),
        new TlsClientAuthenticator(trust),
        new SelfSignedTlsClientAuthenticator(keys),
        new NoneAuthenticator(),
    ];

    public async Task<Checked<Client>> AuthenticateAsync(PresentedCredentials credentials, ServerProperties properties, CancellationToken ct)
    {
        var failed = OAuthErrors.ClientAuthenticationFailed(credentials.BasicPresent);
        var presented = _authenticators.Where(a => a.Recognises(credentials)).ToArray();
        if (credentials.AssertionPresent && !presented.Any(a => a.Method is ClientAuthMethods.PrivateKeyJwt or ClientAuthMethods.ClientSecretJwt))
        {
            // An assertion nobody can read is refused, never ignored in favour of another method.
            return failed with { LogDetail = "client_assertion missing, not a signed JWT, or client_assertion_type is not jwt-bearer" };
        }
        // A bare client_id is how none and both TLS methods present themselves (RFC 8705 §2): all three are recognised, and
        // the registered method picks one below. Any other overlap is two credentials at once.
        if (presented.Length == 0 || (presented.Length > 1 && !credentials.ClientIdOnly))
        {
            return OAuthErrors.MultipleClientAuthMethods();
        }
        var clientId = presented[0].ClaimedClientId(credentials);
        if (string.IsNullOrEmpty(clientId))
        {
            return failed with { LogDetail = "no client id presented" };
        }
        var client = await clients.FindAsync(clientId, ct);
        if (client is null)
        {
            return failed with { LogDetail = "unknown client" };
        }
        if (client.Disabled)
        {
            return OAuthErrors.ClientDisabled();
        }
        // A certificate on the connection authenticates only a client registered for a TLS method; a client_secret_basic
        // client that happens to present one still proves itself with its secret.
        var authenticator = presented.FirstOrDefault(a => a.Method == client.TokenEndpointAuthMethod);
        if (authenticator is null)
        {
            var shown = credentials.ClientIdOnly ? "only a client_id" : presented[0].Method;
            return failed with { LogDetail = $"client {client.ClientId} registered for {client.TokenEndpointAuthMethod}, presented {shown}" };
        }
        if (await authenticator.VerifyAsync(client, credentials, properties, ct) is { } problem)
        {
            return failed with { LogDetail = $"client {client.ClientId} ({authenticator.Method}): {problem}" };
        }
        var bodyClientId = credentials.Parameters["client_id"];
        if (bodyClientId is not null && bodyClientId != client.ClientId)
        {
            return OAuthErrors.ClientIdMismatch();
        }
        if (FapiClientAuthenticationRule.Check(client, properties) is { } fapi)
        {
            return fapi;
        }
        return client;
    }
}
