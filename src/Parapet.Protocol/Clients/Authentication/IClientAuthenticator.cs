using Parapet.Protocol.Properties;

namespace Parapet.Protocol.Clients.Authentication;

/// <summary>One client-authentication method (RFC 6749 §2.3, OIDC Core §9). A client is accepted only by its registered method.</summary>
public interface IClientAuthenticator
{
    /// <summary>The <c>token_endpoint_auth_method</c> value this authenticator verifies.</summary>
    string Method { get; }

    /// <summary>True when the presented credentials are of this method's kind.</summary>
    bool Recognises(PresentedCredentials credentials);

    /// <summary>The client id the credentials claim, or null.</summary>
    string? ClaimedClientId(PresentedCredentials credentials);

    /// <summary>Null when the credentials prove the client's identity; otherwise why not, for the log only (never for the client).</summary>
    ValueTask<string?> VerifyAsync(Client client, PresentedCredentials credentials, ServerProperties properties, CancellationToken ct);
}
