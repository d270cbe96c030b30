using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Requests;

namespace Parapet.Protocol.Token.Grants;

/// <summary>One grant type at the token endpoint (RFC 6749 §4).</summary>
public interface IGrant
{
    string GrantType { get; }

    /// <summary>Decides what to issue for an authenticated client, or why not.</summary>
    /// <paramref name="proof"/> is what the client proved it holds with this request; bound codes and refresh tokens check it.
    Task<Checked<Issuance>> DecideAsync(RequestParameters parameters, Client client, SenderProof proof, ServerProperties properties, CancellationToken ct);
}
