using Parapet.Protocol.Errors;
using Parapet.Protocol.Storage;

namespace Parapet.Protocol.Clients.Authentication;

/// <summary>
/// Authenticates a client the same way at <c>/par</c> and <c>/token</c> (RFC 9126 §2): exactly one method presented,
/// and it must be the client's registered method.
/// </summary>
public sealed class ClientAuthentication(IClientStore clients)
{
    private static readonly IClientAuthenticator[] Authenticators =
    [
        new ClientSecretBasicAuthenticator(),
        new ClientSecretPostAuthenticator(),
        new NoneAuthenticator(),
    ];

    public async Task<Checked<Client>> AuthenticateAsync(PresentedCredentials credentials, CancellationToken ct)
    {
        var presented = Authenticators.Where(a => a.Recognises(credentials)).ToArray();
        if (credentials.AssertionPresent)
        {
            // client_secret_jwt and private_key_jwt are not implemented yet: refuse rather than ignore the assertion.
            return OAuthErrors.ClientAuthenticationFailed(credentials.BasicPresent) with { LogDetail = "client assertion methods are not implemented" };
        }
        if (presented.Length != 1)
        {
            return OAuthErrors.MultipleClientAuthMethods();
        }
        var authenticator = presented[0];
        var clientId = authenticator.ClaimedClientId(credentials);
        var failed = OAuthErrors.ClientAuthenticationFailed(credentials.BasicPresent);
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
        if (client.TokenEndpointAuthMethod != authenticator.Method)
        {
            return failed with { LogDetail = $"client registered for {client.TokenEndpointAuthMethod}, presented {authenticator.Method}" };
        }
        if (!authenticator.Verify(client, credentials))
        {
            return failed with { LogDetail = "wrong secret" };
        }
        var bodyClientId = credentials.Parameters["client_id"];
        if (bodyClientId is not null && bodyClientId != client.ClientId)
        {
            return OAuthErrors.ClientIdMismatch();
        }
        return client;
    }
}
