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
            request.Nonce, request.CodeChallenge, request.CodeChallengeMethod, authTime, now.AddSeconds(CodeLifetime(held.Client, properties)),
            GrantId: Hashing.NewHandle()[..22], DpopJkt: request.DpopJkt);
        if (!await store.ConsumeAsync(held.Pushed.Key, browser, now, stored, ct))
        {
            return OAuthErrors.RequestUriUnknown();
        }
        return AuthorizationResponse.Success(request, code, properties.Issuer);
    }

    /// <summary>
    /// <c>authorizationCodeLifetime</c>, capped at 60 seconds for a client under FAPI 2.0 (§5.3.2.2). The property itself may not
    /// exceed 60 while the server's switch is on (<see cref="PropertyValidator"/>); the cap covers clients with their own flag.
    /// </summary>
    public static int CodeLifetime(Clients.Client client, ServerProperties properties) =>
        Fapi.FapiProfile.AppliesTo(properties, client) ? Math.Min(properties.AuthorizationCodeLifetime, Fapi.FapiProfile.MaxCodeLifetime) : properties.AuthorizationCodeLifetime;

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
