using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Fapi;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Requests;
using Parapet.Protocol.Storage;
using Parapet.Protocol.Token.Grants;

namespace Parapet.Protocol.Token;

/// <summary>The token endpoint's use case: pick the grant, let it decide, issue.</summary>
public sealed class TokenService(ITokenStore store, TokenIssuer issuer, TimeProvider time)
{
    private readonly IGrant[] _grants =
    [
        new AuthorizationCodeGrant(store, time),
        new RefreshTokenGrant(store, time),
        new ClientCredentialsGrant(),
    ];

    public async Task<Checked<TokenResponse>> ExchangeAsync(RequestParameters parameters, Client client, SenderProof proof, ServerProperties properties, CancellationToken ct)
    {
        var grantType = parameters["grant_type"];
        if (grantType is null)
        {
            return OAuthErrors.MissingParameter("grant_type");
        }
        var grant = _grants.FirstOrDefault(g => g.GrantType == grantType);
        if (grant is null)
        {
            return OAuthErrors.GrantTypeUnsupported(grantType);
        }
        if (!client.GrantTypes.Contains(grantType))
        {
            return OAuthErrors.GrantTypeNotAllowed(grantType);
        }
        if (client.DpopBoundAccessTokens && proof.DpopJkt is null)
        {
            // RFC 9449 §5.2: such a client always sends a proof; a request without one is refused.
            return OAuthErrors.DpopProofRequiredForClient();
        }
        if (SenderConstraintRule.Check(client, proof, properties) is { } unconstrained)
        {
            return unconstrained;
        }
        var decision = await grant.DecideAsync(parameters, client, proof, properties, ct);
        if (decision.Failed)
        {
            return decision.Error!;
        }
        return await issuer.IssueAsync(decision.Value!, properties, ct);
    }
}
