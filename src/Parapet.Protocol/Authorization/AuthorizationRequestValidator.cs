using Parapet.Protocol.Authorization.Rules;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Requests;

namespace Parapet.Protocol.Authorization;

/// <summary>
/// The one validator of authorization requests (DESIGN §4.3). RFC 9126 §2.1: a pushed request is validated
/// exactly as an authorization request; <c>/par</c> runs this before storing, <c>/authorize</c> for plain requests.
/// </summary>
public static class AuthorizationRequestValidator
{
    /// <summary>The rule table, in order. Errors from rules after the redirect URI check may be redirected (RFC 6749 §4.1.2.1).</summary>
    private static readonly IAuthorizationRule[] RulesAfterRedirectUri =
    [
        new ResponseTypeRule(),
        new ScopeRule(),
        new PkceRule(),
        new ResponseModeRule(),
        new PromptRule(),
        new MaxAgeRule(),
        new ClaimsRule(),
        new DpopJktRule(),
    ];

    private static readonly RedirectUriRule RedirectUri = new();

    public static Checked<AuthorizationRequest> Validate(RequestParameters parameters, Client client, ServerProperties properties, bool pushed, bool clientAuthenticated)
    {
        var request = AuthorizationRequest.From(parameters, client.ClientId);
        if (request.RedirectUri is null && client.RedirectUris.Count == 1)
        {
            // RFC 6749 §3.1.2.3: with exactly one registered redirect URI the parameter may be omitted.
            request = request with { RedirectUri = client.RedirectUris[0] };
        }
        var context = new AuthorizationContext(request, client, properties, pushed, clientAuthenticated);
        if (RedirectUri.Check(context) is { } redirectError)
        {
            return redirectError;
        }
        foreach (var rule in RulesAfterRedirectUri)
        {
            if (rule.Check(context) is { } error)
            {
                return error.AsRedirectable();
            }
        }
        return request;
    }
}
