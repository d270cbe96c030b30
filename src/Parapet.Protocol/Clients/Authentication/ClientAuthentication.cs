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
        var presented = Presented(credentials);
        if (credentials.AssertionPresent && !presented.Exists(a => a.Method is ClientAuthMethods.PrivateKeyJwt or ClientAuthMethods.ClientSecretJwt))
        {
            // An assertion nobody can read is refused, never ignored in favour of another method.
            return Failed(credentials, "client_assertion missing, not a signed JWT, or client_assertion_type is not jwt-bearer");
        }
        // A bare client_id is how none and both TLS methods present themselves (RFC 8705 §2): all three are recognised, and
        // the registered method picks one below. Any other overlap is two credentials at once.
        if (presented.Count == 0 || (presented.Count > 1 && !credentials.ClientIdOnly))
        {
            return OAuthErrors.MultipleClientAuthMethods();
        }
        var clientId = presented[0].ClaimedClientId(credentials);
        if (string.IsNullOrEmpty(clientId))
        {
            return Failed(credentials, "no client id presented");
        }
        var client = await clients.FindAsync(clientId, ct);
        if (client is null)
        {
            return Failed(credentials, "unknown client");
        }
        if (client.Disabled)
        {
            return OAuthErrors.ClientDisabled();
        }
        // A certificate on the connection authenticates only a client registered for a TLS method; a client_secret_basic
        // client that happens to present one still proves itself with its secret.
        var authenticator = RegisteredMethod(presented, client);
        if (authenticator is null)
        {
            var shown = credentials.ClientIdOnly ? "only a client_id" : presented[0].Method;
            return Failed(credentials, $"client {client.ClientId} registered for {client.TokenEndpointAuthMethod}, presented {shown}");
        }
        if (await authenticator.VerifyAsync(client, credentials, properties, ct) is { } problem)
        {
            return Failed(credentials, $"client {client.ClientId} ({authenticator.Method}): {problem}");
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

    /// <summary>Built only on failure: authentication runs on every push and token request, and most succeed.</summary>
    private static OAuthError Failed(PresentedCredentials credentials, string detail) =>
        OAuthErrors.ClientAuthenticationFailed(credentials.BasicPresent) with { LogDetail = detail };

    /// <summary>The methods whose kind of credential was presented; usually exactly one.</summary>
    private List<IClientAuthenticator> Presented(PresentedCredentials credentials)
    {
        var presented = new List<IClientAuthenticator>(1);
        foreach (var authenticator in _authenticators)
        {
            if (authenticator.Recognises(credentials))
            {
                presented.Add(authenticator);
            }
        }
        return presented;
    }

    private static IClientAuthenticator? RegisteredMethod(List<IClientAuthenticator> presented, Client client)
    {
        foreach (var authenticator in presented)
        {
            if (authenticator.Method == client.TokenEndpointAuthMethod)
            {
                return authenticator;
            }
        }
        return null;
    }
}
