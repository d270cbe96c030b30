using System.Text;
using Microsoft.IdentityModel.Tokens;
using Parapet.Protocol.Properties;

namespace Parapet.Protocol.Clients.Authentication;

/// <summary>
/// <c>client_secret_jwt</c>: a JWT signed with HS256 keyed by the client secret (OIDC Core §9), which is why this method's
/// secret is stored recoverable (<see cref="Client.ProtectedSecret"/>) rather than only hashed.
/// </summary>
internal sealed class ClientSecretJwtAuthenticator(ClientAssertion assertion, ISecretVault vault) : IClientAuthenticator
{
    public const string Algorithm = "HS256";

    public string Method => ClientAuthMethods.ClientSecretJwt;

    public bool Recognises(PresentedCredentials c) => ClientAssertion.Read(c) is { } token && token.Alg.StartsWith("HS", StringComparison.Ordinal);

    public string? ClaimedClientId(PresentedCredentials c) => c.Parameters["client_id"] ?? ClientAssertion.Read(c)?.Subject;

    public async ValueTask<string?> VerifyAsync(Client client, PresentedCredentials c, ServerProperties properties, CancellationToken ct)
    {
        var token = ClientAssertion.Read(c)!;
        if (token.Alg != Algorithm)
        {
            return $"alg {token.Alg} not accepted; allowed: {Algorithm}";
        }
        var secret = client.ProtectedSecret is { } sealedSecret ? vault.Unprotect(sealedSecret) : null;
        if (secret is null)
        {
            return "the client's secret is not recoverable (rotate it to store it for client_secret_jwt)";
        }
        SecurityKey key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret));
        return await assertion.VerifyAsync(token, client, properties,
            async () => await JwtSignature.VerifiesAsync(token, [key], Algorithm) ? null : "bad signature", ct);
    }
}
