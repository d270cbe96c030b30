using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Parapet.Protocol.Errors;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Flow;

/// <summary>DESIGN §2.1 rule 3: the client authenticates at /par exactly as at /token, by its registered method only.</summary>
public sealed class ParClientAuthenticationTests
{
    private const string Secret = ParapetTestServer.ClientSecret;

    private static async Task<ParapetTestServer> ServerWithClientsAsync()
    {
        var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("basic");
        await server.CreateClientAsync("post", new JsonObject { ["token_endpoint_auth_method"] = "client_secret_post" });
        await server.CreateClientAsync("spa", new JsonObject { ["token_endpoint_auth_method"] = "none" });
        return server;
    }

    /// <summary>Each row: who authenticates how, and whether the server should answer with a Basic challenge.</summary>
    public static TheoryData<string, string?, string?, string?, bool> FailedAuthentications() => new()
    {
        // description, Basic id:secret, body client_id, body client_secret, WWW-Authenticate expected
        { "wrong secret over Basic", "basic:" + new string('x', 34), null, null, true },
        { "unknown client over Basic", "nobody:" + Secret, null, null, true },
        { "unknown client over post", null, "nobody", Secret, false },
        { "wrong secret over post", null, "post", new string('x', 34), false },
        { "Basic client using post", null, "basic", Secret, false },
        { "post client using Basic", "post:" + Secret, null, null, true },
        { "confidential client sending only its id", null, "basic", null, false },
        { "public client sending a secret over Basic", "spa:" + Secret, null, null, true },
        { "public client sending a secret in the body", null, "spa", Secret, false },
        { "no credentials at all", null, null, null, false },
    };

    [Theory]
    [MemberData(nameof(FailedAuthentications))]
    public async Task Failed_client_authentication_is_401_invalid_client(string because, string? basic, string? bodyClientId, string? bodySecret, bool challenge)
    {
        await using var server = await ServerWithClientsAsync();
        var form = Steps.PushParameters(("client_id", bodyClientId), ("client_secret", bodySecret));
        var header = basic is null ? null : ParapetTestServer.Basic(basic[..basic.IndexOf(':', StringComparison.Ordinal)], basic[(basic.IndexOf(':', StringComparison.Ordinal) + 1)..]);

        using var response = await server.PostParAsync(form, header);

        var expected = OAuthErrors.ClientAuthenticationFailed(challenge);
        await Steps.AssertErrorAsync(response, HttpStatusCode.Unauthorized, expected.Code, expected.Description);
        Assert.True(challenge == response.Headers.WwwAuthenticate.Any(h => h.Scheme == "Basic"), because);
    }

    [Theory]
    [InlineData("Basic not-base64!")]
    [InlineData("Basic Zm9v")]
    [InlineData("Basic OnNlY3JldA==")]
    public async Task Malformed_basic_header_is_401_invalid_client_with_a_challenge(string header)
    {
        await using var server = await ServerWithClientsAsync();

        using var response = await server.PostParAsync(Steps.PushParameters(), AuthenticationHeaderValue.Parse(header));

        var expected = OAuthErrors.ClientAuthenticationFailed(basicTried: true);
        await Steps.AssertErrorAsync(response, HttpStatusCode.Unauthorized, expected.Code, expected.Description);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
    }

    /// <summary>
    /// RFC 6749 §5.2 lists "utilizes more than one mechanism for authenticating the client" under <c>invalid_request</c>,
    /// and the catalogue follows the RFC here.
    /// </summary>
    [Fact]
    public async Task Two_authentication_methods_at_once_are_refused()
    {
        await using var server = await ServerWithClientsAsync();
        var form = Steps.PushParameters(("client_id", "basic"), ("client_secret", Secret));

        using var response = await server.PostParAsync(form, ParapetTestServer.Basic("basic", Secret));

        var expected = OAuthErrors.MultipleClientAuthMethods();
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Unreadable_client_assertion_is_401_invalid_client_not_ignored()
    {
        await using var server = await ServerWithClientsAsync();
        var form = Steps.PushParameters(("client_id", "basic"), ("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), ("client_assertion", "a.b.c"));

        using var response = await server.PostParAsync(form, null);

        var expected = OAuthErrors.ClientAuthenticationFailed(basicTried: false);
        await Steps.AssertErrorAsync(response, HttpStatusCode.Unauthorized, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Body_client_id_that_differs_from_the_authenticated_client_is_401_invalid_client()
    {
        await using var server = await ServerWithClientsAsync();

        using var response = await server.PostParAsync(Steps.PushParameters(("client_id", "post")), ParapetTestServer.Basic("basic", Secret));

        var expected = OAuthErrors.ClientIdMismatch();
        await Steps.AssertErrorAsync(response, HttpStatusCode.Unauthorized, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Body_client_id_equal_to_the_authenticated_client_is_accepted()
    {
        await using var server = await ServerWithClientsAsync();

        using var response = await server.PostParAsync(Steps.PushParameters(("client_id", "basic")), ParapetTestServer.Basic("basic", Secret));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Client_secret_post_client_may_push()
    {
        await using var server = await ServerWithClientsAsync();

        using var response = await server.PostParAsync(Steps.PushParameters(("client_id", "post"), ("client_secret", Secret)), null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Public_client_may_push_with_pkce()
    {
        await using var server = await ServerWithClientsAsync();

        using var response = await server.PostParAsync(Steps.PushParameters(("client_id", "spa")), null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Public_client_is_refused_when_parForbidPublicClient_is_on()
    {
        await using var server = await ServerWithClientsAsync();
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/parForbidPublicClient","value":true}]""");

        using var response = await server.PostParAsync(Steps.PushParameters(("client_id", "spa")), null);

        var expected = OAuthErrors.PublicClientForbiddenAtPar();
        await Steps.AssertErrorAsync(response, HttpStatusCode.Unauthorized, expected.Code, expected.Description);
        using var confidential = await server.PostParAsync(Steps.PushParameters(), ParapetTestServer.Basic("basic", Secret));
        Assert.Equal(HttpStatusCode.Created, confidential.StatusCode);
    }

    [Fact]
    public async Task Disabled_client_is_401_invalid_client()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("off", new JsonObject { ["disabled"] = true });

        using var response = await server.PostParAsync(Steps.PushParameters(), ParapetTestServer.Basic("off", Secret));

        var expected = OAuthErrors.ClientDisabled();
        await Steps.AssertErrorAsync(response, HttpStatusCode.Unauthorized, expected.Code, expected.Description);
    }
}
