using Parapet.Protocol.Properties;

namespace Parapet.Protocol.Clients.Authentication;

/// <summary><c>client_secret_basic</c>: HTTP Basic with the client id and secret (RFC 6749 §2.3.1).</summary>
internal sealed class ClientSecretBasicAuthenticator : IClientAuthenticator
{
    public string Method => ClientAuthMethods.ClientSecretBasic;
    public bool Recognises(PresentedCredentials c) => c.BasicPresent;
    public string? ClaimedClientId(PresentedCredentials c) => c.BasicClientId;
    public ValueTask<string?> VerifyAsync(Client client, PresentedCredentials c, ServerProperties properties, CancellationToken ct) =>
        ValueTask.FromResult(ClientSecrets.Matches(client.SecretHash, c.BasicSecret) ? null : "wrong secret");
}
