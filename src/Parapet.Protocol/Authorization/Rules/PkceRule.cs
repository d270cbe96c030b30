using System.Buffers;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Fapi;

namespace Parapet.Protocol.Authorization.Rules;

/// <summary>
/// PKCE (RFC 7636): required when <c>requirePkce</c> is on, for public clients and in FAPI mode (RFC 9700 §2.1.1).
/// Only <c>S256</c> unless the client was allowed <c>plain</c>, and never <c>plain</c> in FAPI mode (FAPI 2.0 §5.3.2.2: PKCE
/// with S256), whether the server's switch or the client's own put it there. An absent method means <c>plain</c> (RFC 7636 §4.3).
/// </summary>
internal sealed class PkceRule : IAuthorizationRule
{
    private static readonly SearchValues<char> Unreserved =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~");

    public OAuthError? Check(AuthorizationContext c)
    {
        var challenge = c.Request.CodeChallenge;
        var fapi = FapiProfile.AppliesTo(c.Properties, c.Client);
        var required = c.Properties.RequirePkce || c.Client.IsPublic || fapi;
        if (challenge is null)
        {
            return required ? OAuthErrors.PkceRequired() : c.Request.CodeChallengeMethod is null ? null : OAuthErrors.MissingParameter("code_challenge");
        }
        var method = c.Request.CodeChallengeMethod ?? "plain";
        var allowed = method == "S256" || (method == "plain" && c.Client.AllowPlainPkce && !fapi);
        if (!allowed)
        {
            return OAuthErrors.PkceMethodNotSupported(method);
        }
        return IsWellFormed(challenge) ? null : OAuthErrors.PkceChallengeMalformed();
    }

    /// <summary>RFC 7636 §4.2: 43–128 unreserved characters (an S256 challenge is exactly 43).</summary>
    private static bool IsWellFormed(string challenge) =>
        challenge.Length is >= 43 and <= 128
        && !challenge.AsSpan().ContainsAnyExcept(Unreserved);
}
