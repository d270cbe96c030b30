using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Token;

namespace Parapet.Protocol.Fapi;

/// <summary>
/// FAPI 2.0 §5.3.2.1: only sender-constrained access tokens, by DPoP (RFC 9449) or mutual TLS (RFC 8705). A token request that
/// proves neither is refused before its grant is looked at, so a client that forgot its DPoP proof can retry with the same code.
/// </summary>
public static class SenderConstraintRule
{
    public static OAuthError? Check(Client client, SenderProof proof, ServerProperties properties) =>
        FapiProfile.AppliesTo(properties, client) && !proof.IsConstrained ? OAuthErrors.FapiSenderConstraintRequired() : null;
}
