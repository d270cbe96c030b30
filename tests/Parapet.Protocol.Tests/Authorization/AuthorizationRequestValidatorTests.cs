using Parapet.Protocol.Authorization;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Requests;

namespace Parapet.Protocol.Tests.Authorization;

public sealed class AuthorizationRequestValidatorTests
{
    internal const string RedirectUri = "https://client.example/cb";
    internal const string Challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    internal static readonly Client Confidential = new() { ClientId = "app", RedirectUris = [RedirectUri], SecretHash = ClientSecrets.Hash(new string('s', 32)) };

    /// <summary>A request every rule accepts; each case changes one parameter ("" removes it).</summary>
    internal static RequestParameters Request(string overrides = "")
    {
        var values = new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = "app",
            ["redirect_uri"] = RedirectUri,
            ["scope"] = "openid profile",
            ["state"] = "xyz",
            ["code_challenge"] = Challenge,
            ["code_challenge_method"] = "S256",
        };
        foreach (var (name, value) in Params.Parse(overrides))
        {
            values[name] = value;
        }
        return Params.Of(values.Select(kv => (kv.Key, kv.Value)));
    }

    private static Checked<AuthorizationRequest> Validate(string overrides, Client? client = null, ServerProperties? properties = null, bool pushed = true, bool authenticated = true) =>
        AuthorizationRequestValidator.Validate(Request(overrides), client ?? Confidential, properties ?? new ServerProperties(), pushed, authenticated);

    [Fact]
    public void A_complete_request_is_valid_and_keeps_its_parameters()
    {
        var result = Validate("");

        Assert.False(result.Failed);
        var request = result.Value!;
        Assert.Equal("app", request.ClientId);
        Assert.Equal(RedirectUri, request.RedirectUri);
        Assert.Equal(["openid", "profile"], request.Scopes);
        Assert.Equal("xyz", request.State);
        Assert.Equal(Challenge, request.CodeChallenge);
    }

    [Fact]
    public void An_omitted_redirect_uri_defaults_to_the_only_registered_one()
    {
        var result = Validate("redirect_uri=");

        Assert.Equal(RedirectUri, result.Value!.RedirectUri);
    }

    public static TheoryData<string, OAuthError> BadRequests => new()
    {
        // Before the redirect URI is trusted: never redirectable.
        { "redirect_uri=https://client.example/other", OAuthErrors.RedirectUriNotRegistered() },
        { "redirect_uri=https://client.example/cb/", OAuthErrors.RedirectUriNotRegistered() },
        { "redirect_uri=https://CLIENT.example/cb", OAuthErrors.RedirectUriNotRegistered() },
        { "redirect_uri=https://client.example/cb?x=1", OAuthErrors.RedirectUriNotRegistered() },
        { "redirect_uri=https://client.example/other&response_type=token", OAuthErrors.RedirectUriNotRegistered() },
        // After it: redirectable (RFC 6749 §4.1.2.1).
        { "response_type=", OAuthErrors.MissingParameter("response_type").AsRedirectable() },
        { "response_type=token", OAuthErrors.UnsupportedResponseTypeValue("token").AsRedirectable() },
        { "response_type=code id_token", OAuthErrors.UnsupportedResponseTypeValue("code id_token").AsRedirectable() },
        { "scope=openid bogus", OAuthErrors.ScopeNotAllowed("bogus").AsRedirectable() },
        { "scope=openid parapet.admin", OAuthErrors.ScopeNotAllowed("parapet.admin").AsRedirectable() },
        { "code_challenge=&code_challenge_method=", OAuthErrors.PkceRequired().AsRedirectable() },
        { "code_challenge=", OAuthErrors.PkceRequired().AsRedirectable() },
        { "code_challenge_method=plain", OAuthErrors.PkceMethodNotSupported("plain").AsRedirectable() },
        { "code_challenge_method=", OAuthErrors.PkceMethodNotSupported("plain").AsRedirectable() },
        { "code_challenge_method=S512", OAuthErrors.PkceMethodNotSupported("S512").AsRedirectable() },
        { "code_challenge=" + "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c", OAuthErrors.PkceChallengeMalformed().AsRedirectable() },
        { "code_challenge=" + "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM", OAuthErrors.PkceChallengeMalformed().AsRedirectable() },
        { "code_challenge=" + "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstwécM", OAuthErrors.PkceChallengeMalformed().AsRedirectable() },
        { "code_challenge=" + "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw!cM", OAuthErrors.PkceChallengeMalformed().AsRedirectable() },
        { "code_challenge=" + "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" + new string('a', 86), OAuthErrors.PkceChallengeMalformed().AsRedirectable() },
        { "response_mode=fragment", OAuthErrors.ResponseModeNotSupported("fragment").AsRedirectable() },
        { "response_mode=jwt", OAuthErrors.ResponseModeNotSupported("jwt").AsRedirectable() },
        { "prompt=bogus", OAuthErrors.PromptInvalid("bogus").AsRedirectable() },
        { "prompt=none login", OAuthErrors.PromptInvalid("none login").AsRedirectable() },
        { "prompt=consent none", OAuthErrors.PromptInvalid("consent none").AsRedirectable() },
        { "max_age=-1", OAuthErrors.MaxAgeInvalid().AsRedirectable() },
        { "max_age=ten", OAuthErrors.MaxAgeInvalid().AsRedirectable() },
        { "max_age=1.5", OAuthErrors.MaxAgeInvalid().AsRedirectable() },
        { "max_age=99999999999", OAuthErrors.MaxAgeInvalid().AsRedirectable() },
        { "claims=[]", OAuthErrors.ClaimsMalformed().AsRedirectable() },
        { "claims={\"userinfo\":", OAuthErrors.ClaimsMalformed().AsRedirectable() },
        { "claims=\"text\"", OAuthErrors.ClaimsMalformed().AsRedirectable() },
        // The first failing rule in table order wins.
        { "response_type=token&scope=bogus", OAuthErrors.UnsupportedResponseTypeValue("token").AsRedirectable() },
        { "scope=bogus&code_challenge=", OAuthErrors.ScopeNotAllowed("bogus").AsRedirectable() },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void A_bad_request_fails_with_the_catalogued_error(string overrides, OAuthError expected)
    {
        var result = Validate(overrides);

        Assert.True(result.Failed);
        Assert.Equal(expected, result.Error);
    }

    [Theory]
    [InlineData("response_mode=query")]
    [InlineData("response_mode=form_post")]
    [InlineData("prompt=none")]
    [InlineData("prompt=login consent")]
    [InlineData("prompt=select_account")]
    [InlineData("max_age=0")]
    [InlineData("max_age=3600")]
    [InlineData("claims={\"id_token\":{\"email\":null}}")]
    [InlineData("scope=")]
    [InlineData("code_challenge=a-b.c_d~EFGHIJKLMNOPQRSTUVWXYZ0123456789abc")]
    [InlineData("code_challenge=a-b.c_d~EFGHIJKLMNOPQRSTUVWXYZ0123456789abca-b.c_d~EFGHIJKLMNOPQRSTUVWXYZ0123456789abca-b.c_d~EFGHIJKLMNOPQRSTUVWXYZ0123456789ab")]
    [InlineData("scope=openid profile email offline_access")]
    [InlineData("nonce=n-0S6_WzA2Mj&login_hint=alice&ui_locales=en&acr_values=1&display=page")]
    public void Optional_parameters_with_valid_values_pass(string overrides)
    {
        var result = Validate(overrides);

        Assert.False(result.Failed, result.Error?.Description);
    }

    [Fact]
    public void A_scope_the_client_may_not_request_is_invalid_scope()
    {
        var client = Confidential with { Scopes = ["openid"] };

        var result = Validate("scope=openid email", client);

        Assert.Equal(OAuthErrors.InvalidScope, result.Error!.Code);
        Assert.Equal("The scope 'email' is unknown or not allowed for this client.", result.Error.Description);
    }

    [Fact]
    public void The_admin_scope_is_refused_even_for_a_client_that_holds_it()
    {
        var client = Confidential with { Scopes = ["openid", ScopeCatalog.Admin] };

        var result = Validate("scope=parapet.admin", client);

        Assert.Equal(OAuthErrors.ScopeNotAllowed(ScopeCatalog.Admin).AsRedirectable(), result.Error);
    }

    [Fact]
    public void A_client_without_the_code_response_type_is_unauthorized_client()
    {
        var client = Confidential with { ResponseTypes = [] };

        var result = Validate("", client);

        Assert.Equal(OAuthErrors.UnauthorizedClient, result.Error!.Code);
        Assert.Equal("The client is not allowed to use response_type 'code'.", result.Error.Description);
        Assert.True(result.Error.Redirectable);
    }

    [Fact]
    public void Without_a_redirect_uri_a_client_with_several_registered_must_send_one()
    {
        var client = Confidential with { RedirectUris = [RedirectUri, "https://client.example/cb2"] };

        var result = Validate("redirect_uri=", client);

        Assert.Equal(OAuthErrors.RedirectUriRequired(), result.Error);
        Assert.False(result.Error!.Redirectable);
    }

    [Fact]
    public void Without_a_redirect_uri_a_client_with_none_registered_is_refused()
    {
        var client = Confidential with { RedirectUris = [] };

        var result = Validate("redirect_uri=", client);

        Assert.Equal(OAuthErrors.RedirectUriNotRegistered(), result.Error);
    }

    [Theory]
    // pushed, authenticated, public client, property on → accepted?
    [InlineData(true, true, false, true, true)]
    [InlineData(true, true, false, false, false)]
    [InlineData(false, true, false, true, false)]
    [InlineData(true, false, false, true, false)]
    [InlineData(true, true, true, true, false)]
    public void An_unregistered_redirect_uri_is_accepted_only_when_pushed_by_an_authenticated_confidential_client_and_allowed(
        bool pushed, bool authenticated, bool publicClient, bool allowUnregistered, bool accepted)
    {
        var client = publicClient ? Confidential with { TokenEndpointAuthMethod = ClientAuthMethods.None, SecretHash = null } : Confidential;
        var properties = new ServerProperties { ParAllowUnregisteredRedirectUri = allowUnregistered };

        var result = Validate("redirect_uri=https://elsewhere.example/cb", client, properties, pushed, authenticated);

        if (accepted)
        {
            Assert.False(result.Failed, result.Error?.Description);
            Assert.Equal("https://elsewhere.example/cb", result.Value!.RedirectUri);
        }
        else
        {
            Assert.Equal(OAuthErrors.RedirectUriNotRegistered(), result.Error);
        }
    }

    [Theory]
    [InlineData("http://elsewhere.example/cb")]
    [InlineData("https://elsewhere.example/cb#fragment")]
    [InlineData("elsewhere/cb")]
    [InlineData("javascript:alert(1)")]
    public void An_unregistered_redirect_uri_must_still_be_acceptable(string uri)
    {
        var properties = new ServerProperties { ParAllowUnregisteredRedirectUri = true };

        var result = Validate("redirect_uri=" + uri, properties: properties);

        Assert.Equal(OAuthErrors.RedirectUriInvalid(), result.Error);
    }

    [Theory]
    // requirePkce, public client, fapi → challenge required?
    [InlineData(true, false, false, true)]
    [InlineData(false, false, false, false)]
    [InlineData(false, true, false, true)]
    [InlineData(false, false, true, true)]
    public void Pkce_is_required_by_the_property_for_public_clients_and_in_fapi_mode(bool requirePkce, bool publicClient, bool fapi, bool required)
    {
        var client = publicClient ? Confidential with { TokenEndpointAuthMethod = ClientAuthMethods.None, SecretHash = null } : Confidential;
        var properties = new ServerProperties { RequirePkce = requirePkce, FapiCompatibility = fapi };

        var result = Validate("code_challenge=&code_challenge_method=", client, properties);

        Assert.Equal(required ? OAuthErrors.PkceRequired().AsRedirectable() : null, result.Error);
    }

    [Fact]
    public void A_challenge_method_without_a_challenge_is_refused_even_when_pkce_is_optional()
    {
        var properties = new ServerProperties { RequirePkce = false };

        var result = Validate("code_challenge=", properties: properties);

        Assert.Equal(OAuthErrors.MissingParameter("code_challenge").AsRedirectable(), result.Error);
    }

    [Theory]
    [InlineData(true, false, true)]
    [InlineData(false, false, false)]
    [InlineData(true, true, false)]
    public void Plain_pkce_needs_the_client_allowance_and_never_in_fapi_mode(bool allowPlain, bool fapi, bool accepted)
    {
        var client = Confidential with { AllowPlainPkce = allowPlain };
        var properties = new ServerProperties { FapiCompatibility = fapi };

        var result = Validate("code_challenge_method=plain", client, properties);

        Assert.Equal(accepted ? null : OAuthErrors.PkceMethodNotSupported("plain").AsRedirectable(), result.Error);
    }
}
