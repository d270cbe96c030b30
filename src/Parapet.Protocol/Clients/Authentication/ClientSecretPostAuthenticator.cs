using Parapet.Protocol.Properties;

namespace Parapet.Protocol.Clients.Authentication;

/// <summary><c>client_secret_post</c>: <c>client_id</c> and <c>client_secret</c> in the form body (RFC 6749 §2.3.1).</summary>
internal sealed class ClientSecretPostAuthenticator : IClientAuthenticator
{
    public string Method => ClientAuthMethods.ClientSecretPost;
    public bool Recognises(PresentedCredentials c) => c.SecretInBody;
    public string? ClaimedClientId(PresentedCredentials c) => c.Parameters["client_id"];
    public ValueTask<string?> VerifyAsync(Client client, PresentedCredentials c, ServerProperties properties, CancellationToken ct) =>
        ValueTask.FromResult(ClientSecrets.Matches(client.SecretHash, c.Parameters["client_secret"]) ? null : "wrong secret");
}
