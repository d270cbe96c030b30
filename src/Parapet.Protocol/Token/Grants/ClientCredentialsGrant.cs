using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Requests;

namespace Parapet.Protocol.Token.Grants;

/// <summary>RFC 6749 §4.4: a confidential client acting for itself; no ID token, no refresh token.</summary>
internal sealed class ClientCredentialsGrant : IGrant
{
    public string GrantType => GrantTypeNames.ClientCredentials;

    public Task<Checked<Issuance>> DecideAsync(RequestParameters p, Client client, SenderProof proof, ServerProperties properties, CancellationToken ct)
    {
        if (client.IsPublic)
        {
            return Task.FromResult<Checked<Issuance>>(OAuthErrors.GrantTypeNotAllowed(GrantType) with { Code = OAuthErrors.UnauthorizedClient });
        }
        var requested = p["scope"] is { } s ? ScopeCatalog.Split(s) : client.Scopes.Where(x => x is not (ScopeCatalog.OpenId or ScopeCatalog.OfflineAccess)).ToArray();
        var bad = requested.FirstOrDefault(x => x is ScopeCatalog.OpenId or ScopeCatalog.OfflineAccess || !client.Scopes.Contains(x));
        if (bad is not null)
        {
            return Task.FromResult<Checked<Issuance>>(OAuthErrors.ScopeNotAllowed(bad));
        }
        var issuance = new Issuance(client, client.ClientId, string.Join(' ', requested), AuthTime: null, Nonce: null, Hashing.NewHandle()[..22], IncludeRefreshToken: false, proof);
        return Task.FromResult<Checked<Issuance>>(issuance);
    }
}
