using Duende.IdentityModel.Client;
using Parapet.EndToEnd.Infrastructure;

namespace Parapet.EndToEnd;

/// <summary>Stock client libraries, called unmodified, against the real server (DESIGN §1: they must work as they are).</summary>
[Collection(BrowserCollection.Name)]
public sealed class ClientLibraryTests(ParapetProcess server, Chromium chromium, RedirectTarget target)
    : IClassFixture<ParapetProcess>, IClassFixture<RedirectTarget>
{
    [BrowserFact]
    public async Task Duende_IdentityModel_pushes_and_redeems_with_its_stock_calls()
    {
        var client = await server.CreateClientAsync(target.RedirectUri);
        var user = await server.CreateUserAsync();
        var attempt = Attempt.New();
        using var http = new HttpClient();

        var discovery = await http.GetDiscoveryDocumentAsync(new DiscoveryDocumentRequest { Address = server.Issuer });
        Assert.False(discovery.IsError, discovery.Error);
        Assert.Equal(server.Issuer + "/par", discovery.PushedAuthorizationRequestEndpoint);
        var pushed = await http.PushAuthorizationAsync(new PushedAuthorizationRequest
        {
            Address = discovery.PushedAuthorizationRequestEndpoint,
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            ResponseType = "code",
            Scope = "openid profile email",
            RedirectUri = client.RedirectUri,
            State = attempt.State,
            Nonce = attempt.Nonce,
            CodeChallenge = attempt.CodeChallenge,
            CodeChallengeMethod = "S256",
        });
        Assert.False(pushed.IsError, $"{pushed.Error}: {pushed.Raw}");
        Assert.Equal(600, pushed.ExpiresIn);
        var authorizeUrl = new RequestUrl(discovery.AuthorizeEndpoint!).CreateAuthorizeUrl(clientId: client.ClientId, requestUri: pushed.RequestUri);

        var page = await chromium.NewPageAsync();
        await page.GotoAsync(authorizeUrl);
        await Flow.SignInAsync(page, user);
        await Flow.AllowAsync(page);
        var response = new AuthorizeResponse(page.Url);
        Assert.False(response.IsError, response.Error);
        Assert.StartsWith(client.RedirectUri + "?", page.Url, StringComparison.Ordinal);
        Assert.Equal(attempt.State, response.State);
        Assert.Equal(server.Issuer, response.Issuer);

        var tokens = await http.RequestAuthorizationCodeTokenAsync(new AuthorizationCodeTokenRequest
        {
            Address = discovery.TokenEndpoint,
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            Code = response.Code!,
            RedirectUri = client.RedirectUri,
            CodeVerifier = attempt.CodeVerifier,
        });
        Assert.False(tokens.IsError, $"{tokens.Error}: {tokens.ErrorDescription}");
        Assert.Equal(attempt.Nonce, Flow.Claims(tokens.IdentityToken!)["nonce"]!.GetValue<string>());
        var userInfo = await http.GetUserInfoAsync(new UserInfoRequest { Address = discovery.UserInfoEndpoint, Token = tokens.AccessToken });
        Assert.False(userInfo.IsError, userInfo.Error);
        Assert.Equal(user.Username + "@example.com", userInfo.Claims.Single(c => c.Type == "email").Value);
    }
}
