using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;

namespace Parapet.Protocol.Fapi;

/// <summary>
/// FAPI 2.0 §5.3.2.1: only confidential clients, authenticated with <c>private_key_jwt</c>, <c>tls_client_auth</c> or
/// <c>self_signed_tls_client_auth</c>. Checked after the client proved who it is (so the answer tells a stranger nothing about
/// a client's registration), wherever clients authenticate: <c>/par</c>, <c>/token</c>, introspection and revocation.
/// </summary>
public static class FapiClientAuthenticationRule
{
    public static OAuthError? Check(Client client, ServerProperties properties) =>
        FapiProfile.AppliesTo(properties, client) && !FapiProfile.AuthMethods.Contains(client.TokenEndpointAuthMethod)
            ? OAuthErrors.FapiClientAuthMethod(client.TokenEndpointAuthMethod)
            : null;
}
