using Parapet.Protocol.Properties;

namespace Parapet.Protocol.Clients.Authentication;

/// <summary><c>none</c>: a public client identifies itself by <c>client_id</c> alone; nothing is proven (RFC 6749 §2.1).</summary>
internal sealed class NoneAuthenticator : IClientAuthenticator
{
    public string Method => ClientAuthMethods.None;
    public bool Recognises(PresentedCredentials c) => c.ClientIdOnly;
    public string? ClaimedClientId(PresentedCredentials c) => c.Parameters["client_id"];
    public ValueTask<string?> VerifyAsync(Client client, PresentedCredentials c, ServerProperties properties, CancellationToken ct) => ValueTask.FromResult<string?>(null);
}
