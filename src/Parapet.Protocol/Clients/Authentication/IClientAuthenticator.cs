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

    /// <summary>True when the credentials prove the client's identity.</summary>
    bool Verify(Client client, PresentedCredentials credentials);
}
