using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parapet.Protocol.Errors;
using Parapet.Server.Tests.Admin;
using Parapet.Server.Tests.Infrastructure;
using Parapet.Server.Tests.JwtAuth;
using Parapet.Server.Tests.Registration;

namespace Parapet.Server.Tests.Fapi;

/// <summary>
/// FAPI 2.0 §5.3.2.1 and §5.4.1 for clients, each rule with the switch off, the server's switch on, and the client's flag on:
/// confidential clients with private_key_jwt or mutual TLS only, sender-constrained tokens, the issuer alone as assertion aud,
/// PS256/ES256 only.
/// </summary>
public sealed class FapiClientTests
{
    private static string FapiClientAuthMethod(string method) => OAuthErrors.FapiClientAuthMethod(method).Description;

    /// <summary>§5.3.2.1: clients authenticated otherwise are refused where they authenticate, after proving who they are.</summary>
    [Theory]
    [InlineData(FapiMode.Off)]
    [InlineData(FapiMode.Server)]
    public async Task Client_secret_and_public_clients_are_refused_at_par_and_token_under_the_server_switch(FapiMode mode)
    {
        await using var server = await FapiServer.StartAsync(mode);

        using var secretPush = await server.PostParAsync(Steps.PushParameters(), ParapetTestServer.Basic(FapiServer.SecretClientId, ParapetTestServer.ClientSecret));
        using var publicPush = await server.PostParAsync(Steps.PushParameters(("client_id", FapiServer.PublicClientId)), null);
        using var secretToken = await server.PostTokenAsync(FapiServer.SecretClientId, ("grant_type", "client_credentials"), ("scope", "profile"));
        using var wrongSecret = await server.PostParAsync(Steps.PushParameters(), ParapetTestServer.Basic(FapiServer.SecretClientId, "not-the-secret-not-the-secret-xx"));

        if (mode == FapiMode.Off)
        {
            Assert.Equal(HttpStatusCode.Created, secretPush.StatusCode);
            Assert.Equal(HttpStatusCode.Created, publicPush.StatusCode);
            Assert.Equal(HttpStatusCode.OK, secretToken.StatusCode);
        }
        else
        {
            await Steps.AssertErrorAsync(secretPush, HttpStatusCode.Unauthorized, OAuthErrors.InvalidClient, FapiClientAuthMethod("client_secret_basic"));
            await Steps.AssertErrorAsync(publicPush, HttpStatusCode.Unauthorized, OAuthErrors.InvalidClient, FapiClientAuthMethod("none"));
            await Steps.AssertErrorAsync(secretToken, HttpStatusCode.Unauthorized, OAuthErrors.InvalidClient, FapiClientAuthMethod("client_secret_basic"));
        }
        // A caller that cannot prove it is the client learns nothing about the client's registration.
        var failed = OAuthErrors.ClientAuthenticationFailed(basicTried: true);
        await Steps.AssertErrorAsync(wrongSecret, HttpStatusCode.Unauthorized, failed.Code, failed.Description);
    }

    [Fact]
    public async Task The_admin_tools_keep_working_under_the_server_switch()
    {
        await using var server = await FapiServer.StartAsync(FapiMode.Server);

        using var admin = await server.CreateAdminClientAsync(); // client_secret_basic + client_credentials, no sender constraint
        using var config = await admin.GetAsync("/admin/v1/config");

        Assert.Equal(HttpStatusCode.OK, config.StatusCode);
    }

    /// <summary>Creating (admin API) or registering (RFC 7591) a client that could never authenticate under FAPI 2.0 is refused up front.</summary>
    [Theory]
    // mode, token_endpoint_auth_method, the new client's fapi_compatibility → refused with which ending (null: created)
    [InlineData(FapiMode.Off, "client_secret_basic", false, null)]
    [InlineData(FapiMode.Off, "client_secret_basic", true, " for a client with fapi_compatibility.")]
    [InlineData(FapiMode.Off, "none", true, " for a client with fapi_compatibility.")]
    [InlineData(FapiMode.Off, "private_key_jwt", true, null)]
    [InlineData(FapiMode.Server, "client_secret_post", false, " while the server's fapiCompatibility is on.")]
    [InlineData(FapiMode.Server, "client_secret_jwt", false, " while the server's fapiCompatibility is on.")]
    [InlineData(FapiMode.Server, "none", false, " while the server's fapiCompatibility is on.")]
    [InlineData(FapiMode.Server, "private_key_jwt", false, null)]
    public async Task Clients_that_fapi_would_refuse_cannot_be_created_or_registered(FapiMode mode, string method, bool flag, string? refusal)
    {
        await using var server = await FapiServer.StartAsync(mode);
        await server.EnableAsync();
        var metadata = new JsonObject
        {
            ["redirect_uris"] = new JsonArray(ParapetTestServer.RedirectUri),
            ["token_endpoint_auth_method"] = method,
            ["jwks"] = ClientKey.Set(FapiServer.Key),
            ["fapi_compatibility"] = flag,
        };
        using var admin = await server.CreateAdminClientAsync();

        using var created = await admin.PostAsJsonAsync("/admin/v1/clients", metadata);
        using var registered = await server.RegisterAsync(metadata.ToJsonString());

        if (refusal is null)
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.Equal(flag, (await created.JsonAsync())["fapi_compatibility"]!.GetValue<bool>());
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
            return;
        }
        var description = $"FAPI 2.0 requires token_endpoint_auth_method private_key_jwt, tls_client_auth, self_signed_tls_client_auth; '{method}' is not allowed{refusal}";
        var problem = await created.AssertProblemAsync(HttpStatusCode.BadRequest, OAuthErrors.InvalidClientMetadata);
        Assert.Equal(description, problem["detail"]!.GetValue<string>());
        await Steps.AssertErrorAsync(registered, HttpStatusCode.BadRequest, OAuthErrors.InvalidClientMetadata, description);
    }

    /// <summary>§5.3.2.1: sender-constrained access tokens only. Without DPoP or mutual TLS the token request is refused, the code unspent.</summary>
    [Theory]
    [InlineData(FapiMode.Off)]
    [InlineData(FapiMode.Server)]
    [InlineData(FapiMode.Client)]
    public async Task A_token_request_without_a_sender_constraint_is_refused_in_fapi_mode(FapiMode mode)
    {
        await using var server = await FapiServer.StartAsync(mode);
        using var browser = server.CreateBrowser();
        var code = (await browser.AuthorizeToRedirectAsync(FapiServer.ClientId, await server.RequestUriAsync()))["code"].ToString();

        using var redeemed = await server.TokenWithKeyAsync(FapiServer.RedeemForm(code));
        using var credentials = await server.TokenWithKeyAsync([("grant_type", "client_credentials"), ("scope", "profile")]);

        if (mode == FapiMode.Off)
        {
            Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
            Assert.Equal(HttpStatusCode.OK, credentials.StatusCode);
            return;
        }
        var expected = OAuthErrors.FapiSenderConstraintRequired();
        await Steps.AssertErrorAsync(redeemed, HttpStatusCode.BadRequest, expected.Code, expected.Description);
        await Steps.AssertErrorAsync(credentials, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }

    /// <summary>Each row: mode, aud (JSON), key alg, accepted. The server-switch rows are in PrivateKeyJwtTests.</summary>
    public static TheoryData<FapiMode, string, string, bool> Assertions() => new()
    {
        { FapiMode.Off, "\"http://localhost\"", "PS256", true },
        { FapiMode.Off, "[\"http://localhost\"]", "PS256", true },
        { FapiMode.Off, "\"http://localhost/token\"", "PS256", true },
        { FapiMode.Off, "\"http://localhost/par\"", "PS256", true },
        { FapiMode.Off, "\"http://localhost\"", "RS256", true },
        { FapiMode.Client, "\"http://localhost\"", "PS256", true },
        { FapiMode.Client, "\"http://localhost\"", "ES256", true },
        { FapiMode.Client, "[\"http://localhost\"]", "PS256", false },
        { FapiMode.Client, "\"http://localhost/token\"", "PS256", false },
        { FapiMode.Client, "\"http://localhost/par\"", "PS256", false },
        { FapiMode.Client, "\"http://localhost\"", "RS256", false },
        { FapiMode.Server, "\"http://localhost\"", "ES256", true },
        { FapiMode.Server, "\"http://localhost/par\"", "ES256", false },
    };

    /// <summary>
    /// §5.3.2.1: the issuer as a single string is the only aud; RFC 9126 §2 and FAPI 1 outside it (issuer, token or PAR URL).
    /// §5.4.1: PS256 or ES256. The client's own flag narrows them just as the server's switch does.
    /// </summary>
    [Theory]
    [MemberData(nameof(Assertions))]
    public async Task The_client_assertion_rules_narrow_in_fapi_mode(FapiMode mode, string aud, string alg, bool accepted)
    {
        await using var server = await FapiServer.StartAsync(mode);
        var key = alg == "ES256" ? FapiServer.EcKey : FapiServer.Key.As(alg);
        var assertion = server.Assertion(key, ("aud", JsonNode.Parse(aud)));

        using var response = await server.PostParAsync(Steps.PushParameters(Jwts.AssertionForm(assertion)), null);

        Assert.Equal(accepted ? HttpStatusCode.Created : HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>§5.4.1 and RFC 9101: request objects signed with PS256 or ES256 only, never unsigned, in FAPI mode.</summary>
    [Theory]
    [InlineData(FapiMode.Off, "RS256", true)]
    [InlineData(FapiMode.Off, "none", true)]
    [InlineData(FapiMode.Server, "PS256", true)]
    [InlineData(FapiMode.Server, "RS256", false)]
    [InlineData(FapiMode.Server, "none", false)]
    [InlineData(FapiMode.Client, "ES256", true)]
    [InlineData(FapiMode.Client, "RS256", false)]
    [InlineData(FapiMode.Client, "none", false)]
    public async Task Request_objects_are_ps256_or_es256_in_fapi_mode(FapiMode mode, string alg, bool accepted)
    {
        await using var server = await FapiServer.StartAsync(mode);
        var now = server.Time.GetUtcNow();
        var claims = new JsonObject
        {
            ["iss"] = FapiServer.ClientId,
            ["client_id"] = FapiServer.ClientId,
            ["aud"] = ParapetTestServer.Issuer,
            ["exp"] = now.AddMinutes(5).ToUnixTimeSeconds(),
            ["nbf"] = now.ToUnixTimeSeconds(),
        };
        foreach (var (name, value) in Steps.PushParameters())
        {
            claims[name] = value;
        }
        var requestObject = alg switch
        {
            "none" => Jwts.Unsecured(claims),
            "ES256" => Jwts.Sign(claims, FapiServer.EcKey),
            _ => Jwts.Sign(claims, FapiServer.Key.As(alg)),
        };
        var form = new Dictionary<string, string> { ["client_id"] = FapiServer.ClientId, ["request"] = requestObject };
        foreach (var (name, value) in Jwts.AssertionForm(server.Assertion()))
        {
            form[name] = value!;
        }

        using var response = await server.PostParAsync(form, null);

        if (accepted)
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return;
        }
        var expected = alg == "none" ? OAuthErrors.RequestObjectUnsigned() : OAuthErrors.RequestObjectAlgorithm(alg, ["PS256", "ES256"]);
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }
}
