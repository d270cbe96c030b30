using Parapet.Protocol.Errors;
using Parapet.Protocol.Fapi;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;

namespace Parapet.Protocol.Clients.Authentication;

/// <summary>
/// Authenticates a client the same way at <c>/par</c> and <c>/token</c> (RFC 9126 §2): exactly one method presented,
/// and it must be the client's registered method.
/// </summary>
public sealed class ClientAuthentication(IClientStore clients, ClientAssertion assertion, ClientKeyResolver keys, ISecretVault vault)
{
    private readonly IClientAuthenticator[] _authenticators =
    [
        new ClientSecretBasicAuthenticator(),
        new ClientSecretPostAuthenticator(),
        new ClientSecretJwtAuthenticator(assertion, vault),
        new PrivateKeyJwtAuthenticator(assertion, keys),
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
        if (presented.Length != 1)
        {
            return OAuthErrors.MultipleClientAuthMethods();
        }
        var authenticator = presented[0];
        var clientId = authenticator.ClaimedClientId(credentials);
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
            return failed with { LogDetail = $"client {client.ClientId} registered for {client.TokenEndpointAuthMethod}, presented {authenticator.Method}" };
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
