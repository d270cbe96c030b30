using Parapet.Protocol.Errors;

namespace Parapet.Protocol.Authorization.Rules;

/// <summary>OIDC Core §3.1.2.1: <c>prompt</c> values are known, and <c>none</c> stands alone.</summary>
internal sealed class PromptRule : IAuthorizationRule
{
    private static readonly HashSet<string> Known = ["none", "login", "consent", "select_account"];

    public OAuthError? Check(AuthorizationContext c)
    {
        var prompts = c.Request.Prompts;
        var unknown = prompts.FirstOrDefault(p => !Known.Contains(p));
        if (unknown is not null)
        {
            return OAuthErrors.PromptInvalid(unknown);
        }
        return prompts.Contains("none") && prompts.Length > 1 ? OAuthErrors.PromptInvalid(c.Request.Prompt!) : null;
    }
}
