using Parapet.Protocol.Properties;

namespace Parapet.Protocol.Clients.Authentication;

/// <summary><c>private_key_jwt</c>: a JWT signed with the client's own key, from its <c>jwks</c> or <c>jwks_uri</c> (OIDC Core §9, RFC 7523 §2.2).</summary>
internal sealed class PrivateKeyJwtAuthenticator(ClientAssertion assertion, ClientKeyResolver keys) : IClientAuthenticator
{
    public string Method => ClientAuthMethods.PrivateKeyJwt;

    /// <summary>An assertion whose alg is not HMAC: which key signed it is for the registered method to confirm.</summary>
    public bool Recognises(PresentedCredentials c) => ClientAssertion.Read(c) is { } token && !token.Alg.StartsWith("HS", StringComparison.Ordinal);

    public string? ClaimedClientId(PresentedCredentials c) => c.Parameters["client_id"] ?? ClientAssertion.Read(c)?.Subject;

    public async ValueTask<string?> VerifyAsync(Client client, PresentedCredentials c, ServerProperties properties, CancellationToken ct)
    {
        var token = ClientAssertion.Read(c)!;
        var algorithms = ClientKeyResolver.Algorithms(Fapi.FapiProfile.AppliesTo(properties, client));
        if (!algorithms.Contains(token.Alg))
        {
            return $"alg {token.Alg} not accepted; allowed: {string.Join(", ", algorithms)}";
        }
        return await assertion.VerifyAsync(token, client, properties, () => keys.VerifyAsync(token, client, token.Alg, ct), ct);
    }
}
