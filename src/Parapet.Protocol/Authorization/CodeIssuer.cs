using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;
using Parapet.Protocol.Token;

namespace Parapet.Protocol.Authorization;

/// <summary>
/// Ends an authorization: consumes the held request (one conditional update) and, on approval, stores a code in the same transaction.
/// After this the request URI is dead for every browser (DESIGN §2.2.3).
/// </summary>
public sealed class CodeIssuer(IPushedRequestStore store, TimeProvider time)
{
    public async Task<Checked<AuthorizationResponse>> ApproveAsync(HeldRequest held, string browser, string subject, DateTimeOffset authTime, ServerProperties properties, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var request = held.Pushed.Request;
        var code = Hashing.NewHandle();
        var stored = new AuthorizationCode(Hashing.Sha256(code), held.Client.ClientId, subject, request.RedirectUri!, request.Scope ?? "",
            request.Nonce, request.CodeChallenge, request.CodeChallengeMethod, authTime, now.AddSeconds(properties.AuthorizationCodeLifetime),
            GrantId: Hashing.NewHandle()[..22], DpopJkt: request.DpopJkt);
        if (!await store.ConsumeAsync(held.Pushed.Key, browser, now, stored, ct))
        {
            return OAuthErrors.RequestUriUnknown();
        }
        return AuthorizationResponse.Success(request, code, properties.Issuer);
    }

    /// <summary>A refusal (user denied, prompt=none could not be met): the request is used up and the error goes to the client.</summary>
    public async Task<Checked<AuthorizationResponse>> RefuseAsync(HeldRequest held, string browser, OAuthError error, ServerProperties properties, CancellationToken ct)
    {
        if (!await store.ConsumeAsync(held.Pushed.Key, browser, time.GetUtcNow(), code: null, ct))
        {
            return OAuthErrors.RequestUriUnknown();
        }
        return AuthorizationResponse.Failure(held.Pushed.Request, error, properties.Issuer);
    }
}
