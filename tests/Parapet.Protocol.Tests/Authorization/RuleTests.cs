using Parapet.Protocol.Authorization;
using Parapet.Protocol.Authorization.Rules;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Requests;
using static Parapet.Protocol.Tests.Authorization.AuthorizationRequestValidatorTests;

namespace Parapet.Protocol.Tests.Authorization;

/// <summary>Each rule on its own: it answers only for its parameter, with a plain (not yet redirectable) error.</summary>
public sealed class RuleTests
{
    private static readonly Dictionary<string, IAuthorizationRule> Rules = new()
    {
        ["redirect_uri"] = new RedirectUriRule(),
        ["response_type"] = new ResponseTypeRule(),
        ["scope"] = new ScopeRule(),
        ["pkce"] = new PkceRule(),
        ["response_mode"] = new ResponseModeRule(),
        ["prompt"] = new PromptRule(),
        ["max_age"] = new MaxAgeRule(),
        ["claims"] = new ClaimsRule(),
    };

    private static OAuthError? Check(string rule, string overrides)
    {
        var request = AuthorizationRequest.From(Request(overrides), Confidential.ClientId);
        return Rules[rule].Check(new AuthorizationContext(request, Confidential, new ServerProperties(), Pushed: true, ClientAuthenticated: true));
    }

    public static TheoryData<string> RuleNames => new(Rules.Keys);

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Every_rule_accepts_a_complete_request(string rule)
    {
        Assert.Null(Check(rule, ""));
    }

    public static TheoryData<string, string, OAuthError> Failures => new()
    {
        { "redirect_uri", "redirect_uri=https://client.example/evil", OAuthErrors.RedirectUriNotRegistered() },
        { "response_type", "response_type=", OAuthErrors.MissingParameter("response_type") },
        { "response_type", "response_type=token", OAuthErrors.UnsupportedResponseTypeValue("token") },
        { "scope", "scope=openid nope", OAuthErrors.ScopeNotAllowed("nope") },
        { "pkce", "code_challenge=", OAuthErrors.PkceRequired() },
        { "pkce", "code_challenge_method=plain", OAuthErrors.PkceMethodNotSupported("plain") },
        { "pkce", "code_challenge=short", OAuthErrors.PkceChallengeMalformed() },
        { "response_mode", "response_mode=fragment", OAuthErrors.ResponseModeNotSupported("fragment") },
        { "prompt", "prompt=none consent", OAuthErrors.PromptInvalid("none consent") },
        { "prompt", "prompt=bogus", OAuthErrors.PromptInvalid("bogus") },
        { "max_age", "max_age=+5", OAuthErrors.MaxAgeInvalid() },
        { "claims", "claims=not json", OAuthErrors.ClaimsMalformed() },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Only_the_rule_for_the_parameter_reports_it_unredirectable(string rule, string overrides, OAuthError expected)
    {
        var error = Check(rule, overrides);

        Assert.Equal(expected, error);
        Assert.False(error!.Redirectable);
        Assert.Equal(400, error.Status);
        Assert.All(Rules.Keys.Where(other => other != rule), other => Assert.Null(Check(other, overrides)));
    }
}
