using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Parapet.Protocol.Authorization;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Fapi;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Tests.Authorization;
using Parapet.Protocol.Tests.Fakes;
using Parapet.Protocol.Token;

namespace Parapet.Protocol.Tests.Fapi;

/// <summary>Which switch puts a request under FAPI 2.0: none, the server's <c>fapiCompatibility</c>, or the client's <c>fapi_compatibility</c>.</summary>
public enum FapiSwitch
{
    Off,
    Server,
    Client,
}

/// <summary>The FAPI 2.0 Security Profile rules that live in the protocol layer, each in every mode.</summary>
public sealed class FapiModeTests
{
    private static readonly Client KeyClient = AuthorizationRequestValidatorTests.Confidential with
    {
        TokenEndpointAuthMethod = ClientAuthMethods.PrivateKeyJwt,
        SecretHash = null,
        Jwks = """{"keys":[]}""",
    };

    private static (Client Client, ServerProperties Properties) In(FapiSwitch mode, Client? client = null)
    {
        var c = client ?? KeyClient;
        return mode switch
        {
            FapiSwitch.Server => (c, new ServerProperties { FapiCompatibility = true }),
            FapiSwitch.Client => (c with { FapiCompatibility = true }, new ServerProperties()),
            _ => (c, new ServerProperties()),
        };
    }

    [Theory]
    // server switch, client flag, admin-scoped client → applies?
    [InlineData(false, false, false, false)]
    [InlineData(true, false, false, true)]
    [InlineData(false, true, false, true)]
    [InlineData(true, true, false, true)]
    [InlineData(true, false, true, false)]
    [InlineData(false, true, true, true)]
    public void The_profile_applies_by_either_switch_and_the_server_switch_spares_admin_clients(bool server, bool flag, bool admin, bool applies)
    {
        var client = KeyClient with { FapiCompatibility = flag, Scopes = admin ? [ScopeCatalog.Admin] : ScopeCatalog.DefaultForClients };

        Assert.Equal(applies, FapiProfile.AppliesTo(new ServerProperties { FapiCompatibility = server }, client));
    }

    public static TheoryData<FapiSwitch, string, bool> AuthMethods()
    {
        var data = new TheoryData<FapiSwitch, string, bool>();
        foreach (var method in ClientAuthMethods.Known)
        {
            data.Add(FapiSwitch.Off, method, true);
            data.Add(FapiSwitch.Server, method, FapiProfile.AuthMethods.Contains(method));
            data.Add(FapiSwitch.Client, method, FapiProfile.AuthMethods.Contains(method));
        }
        return data;
    }

    /// <summary>FAPI 2.0 §5.3.2.1: private_key_jwt and the two mutual-TLS methods only.</summary>
    [Theory]
    [MemberData(nameof(AuthMethods))]
    public void Only_private_key_jwt_and_mutual_tls_authenticate_in_fapi_mode(FapiSwitch mode, string method, bool accepted)
    {
        var (client, properties) = In(mode, KeyClient with { TokenEndpointAuthMethod = method });

        var error = FapiClientAuthenticationRule.Check(client, properties);

        Assert.Equal(accepted ? null : OAuthErrors.FapiClientAuthMethod(method), error);
        if (!accepted)
        {
            Assert.Equal((OAuthErrors.InvalidClient, 401), (error!.Code, error.Status));
            Assert.StartsWith("FAPI 2.0 requires client authentication with private_key_jwt, tls_client_auth or self_signed_tls_client_auth", error.Description);
        }
    }

    public static TheoryData<FapiSwitch, string, bool> Proofs()
    {
        var data = new TheoryData<FapiSwitch, string, bool>();
        foreach (var mode in Enum.GetValues<FapiSwitch>())
        {
            data.Add(mode, "none", mode == FapiSwitch.Off);
            data.Add(mode, "dpop", true);
            data.Add(mode, "mtls", true);
        }
        return data;
    }

    private static SenderProof Proof(string kind) => kind switch
    {
        "dpop" => new SenderProof("jkt-thumbprint", null),
        "mtls" => new SenderProof(null, "x5t-thumbprint"),
        _ => SenderProof.None,
    };

    /// <summary>FAPI 2.0 §5.3.2.1: sender-constrained access tokens only (DPoP or mutual TLS).</summary>
    [Theory]
    [MemberData(nameof(Proofs))]
    public void Token_requests_must_be_sender_constrained_in_fapi_mode(FapiSwitch mode, string proof, bool accepted)
    {
        var (client, properties) = In(mode);

        Assert.Equal(accepted ? null : OAuthErrors.FapiSenderConstraintRequired(), SenderConstraintRule.Check(client, Proof(proof), properties));
    }

    /// <summary>The rule runs in the token service before any grant, so an unconstrained request changes nothing (a code stays redeemable).</summary>
    [Theory]
    [MemberData(nameof(Proofs))]
    public async Task The_token_service_refuses_unconstrained_requests_in_fapi_mode_and_binds_constrained_ones(FapiSwitch mode, string proof, bool accepted)
    {
        var (client, properties) = In(mode, KeyClient with { GrantTypes = [GrantTypeNames.ClientCredentials], Scopes = ["profile"] });
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var service = new TokenService(new UnusedTokenStore(), new TokenIssuer(new TestSigningKeys(), new UnusedTokenStore(), time), time);

        var result = await service.ExchangeAsync(Params.Of(("grant_type", "client_credentials")), client, Proof(proof), properties, CancellationToken.None);

        Assert.Equal(accepted ? null : OAuthErrors.FapiSenderConstraintRequired(), result.Error);
        if (accepted)
        {
            var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(result.Value!.AccessToken);
            Assert.Equal(proof != "none", token.TryGetPayloadValue<JsonElement>("cnf", out _));
            Assert.Equal(proof == "dpop" ? "DPoP" : "Bearer", result.Value.TokenType);
            // FAPI 2.0 §5.4.1: PS256 (or ES256) for a FAPI client; RS256 stays the default for the others.
            Assert.Equal(mode == FapiSwitch.Off ? "RS256" : "PS256", token.Alg);
        }
    }

    /// <summary>§5.4.1: the ID token of a FAPI client is PS256 too (same RSA key, so at_hash stays a SHA-256 half).</summary>
    [Theory]
    [InlineData(FapiSwitch.Off, "RS256")]
    [InlineData(FapiSwitch.Server, "PS256")]
    [InlineData(FapiSwitch.Client, "PS256")]
    public async Task Id_tokens_of_fapi_clients_are_signed_ps256(FapiSwitch mode, string alg)
    {
        var (client, properties) = In(mode);
        var keys = new TestSigningKeys();
        var issuer = new TokenIssuer(keys, new UnusedTokenStore(), new FakeTimeProvider(DateTimeOffset.UtcNow));
        var issuance = new Issuance(client, "alice", "openid", AuthTime: DateTimeOffset.UtcNow, Nonce: "n", "g1", IncludeRefreshToken: false, new SenderProof("jkt", null));

        var response = await issuer.IssueAsync(issuance, properties, CancellationToken.None);

        var idToken = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(response.IdToken);
        Assert.Equal(alg, idToken.Alg);
        var verified = await new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().ValidateTokenAsync(response.IdToken, new Microsoft.IdentityModel.Tokens.TokenValidationParameters
        {
            ValidIssuer = properties.Issuer,
            ValidAudience = client.ClientId,
            IssuerSigningKeys = keys.VerificationKeys,
            ValidateLifetime = false,
        });
        Assert.True(verified.IsValid, verified.Exception?.Message);
    }

    [Theory]
    // mode, authorizationCodeLifetime → the code's lifetime
    [InlineData(FapiSwitch.Off, 60, 60)]
    [InlineData(FapiSwitch.Off, 300, 300)]
    [InlineData(FapiSwitch.Server, 30, 30)]
    [InlineData(FapiSwitch.Server, 60, 60)]
    [InlineData(FapiSwitch.Client, 300, 60)]
    [InlineData(FapiSwitch.Client, 45, 45)]
    public void Codes_live_at_most_60_seconds_in_fapi_mode(FapiSwitch mode, int property, int expected)
    {
        var (client, properties) = In(mode);

        Assert.Equal(expected, CodeIssuer.CodeLifetime(client, properties with { AuthorizationCodeLifetime = property }));
    }

    [Theory]
    [InlineData(false, 600, true)]
    [InlineData(true, 60, true)]
    [InlineData(true, 61, false)]
    public void The_property_validator_refuses_a_code_lifetime_over_60_while_fapi_compatibility_is_on(bool fapi, int lifetime, bool valid)
    {
        var result = PropertyValidator.Validate(new ServerProperties { FapiCompatibility = fapi, AuthorizationCodeLifetime = lifetime });

        Assert.Equal(valid, !result.Failed);
        if (!valid)
        {
            Assert.Equal("Property 'authorizationCodeLifetime' must be at most 60 while 'fapiCompatibility' is on (FAPI 2.0 §5.3.2.2).", result.Error!.Description);
        }
    }

    [Theory]
    // mode, allow_plain_pkce, method → accepted?
    [InlineData(FapiSwitch.Off, true, "plain", true)]
    [InlineData(FapiSwitch.Server, true, "plain", false)]
    [InlineData(FapiSwitch.Client, true, "plain", false)]
    [InlineData(FapiSwitch.Client, false, "S256", true)]
    public void Plain_pkce_is_refused_in_fapi_mode_even_when_the_client_allows_it(FapiSwitch mode, bool allowPlain, string method, bool accepted)
    {
        var (client, properties) = In(mode, KeyClient with { AllowPlainPkce = allowPlain });
        var challenge = method == "S256" ? AuthorizationRequestValidatorTests.Challenge : new string('p', 43);

        var result = AuthorizationRequestValidator.Validate(
            AuthorizationRequestValidatorTests.Request($"code_challenge={challenge}&code_challenge_method={method}"), client, properties, pushed: true, clientAuthenticated: true);

        Assert.Equal(accepted ? null : OAuthErrors.PkceMethodNotSupported("plain").AsRedirectable(), result.Error);
    }

    [Theory]
    [InlineData(FapiSwitch.Off, false)]
    [InlineData(FapiSwitch.Server, true)]
    [InlineData(FapiSwitch.Client, true)]
    public void Pkce_is_required_in_fapi_mode_even_when_require_pkce_is_off(FapiSwitch mode, bool required)
    {
        var (client, properties) = In(mode);

        var result = AuthorizationRequestValidator.Validate(
            AuthorizationRequestValidatorTests.Request("code_challenge=&code_challenge_method="), client, properties with { RequirePkce = false }, pushed: true, clientAuthenticated: true);

        Assert.Equal(required ? OAuthErrors.PkceRequired().AsRedirectable() : null, result.Error);
    }

    [Fact]
    public void Client_keys_may_sign_with_ps256_and_es256_in_fapi_mode_and_also_rs256_outside_it()
    {
        Assert.Equal(["PS256", "ES256"], ClientKeyResolver.Algorithms(fapi: true));
        Assert.Equal(["RS256", "PS256", "ES256"], ClientKeyResolver.Algorithms(fapi: false));
    }
}
