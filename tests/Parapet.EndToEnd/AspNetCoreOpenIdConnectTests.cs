using System.Net;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Parapet.EndToEnd.Infrastructure;

namespace Parapet.EndToEnd;

/// <summary>
/// ASP.NET Core's own OpenIdConnect handler with <c>PushedAuthorizationBehavior.Require</c>, in a small client web app on
/// loopback, signed in through the browser. Nothing in the handler is customised for Parapet except the loopback HTTP allowances.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AspNetCoreOpenIdConnectTests(ParapetProcess server, Chromium chromium)
    : IClassFixture<ParapetProcess>
{
    [BrowserFact]
    public async Task OpenIdConnect_handler_requiring_par_signs_the_user_in()
    {
        var port = FreePorts.Next();
        var appUrl = $"http://127.0.0.1:{port}";
        // The handler authenticates with client_secret_post at both /par and /token.
        var client = await server.CreateClientAsync(appUrl + "/signin-oidc", new JsonObject { ["token_endpoint_auth_method"] = "client_secret_post" }, "aspnet");
        var user = await server.CreateUserAsync();
        var pushes = 0;
        Exception? failure = null;
        await using var app = BuildClientApp(appUrl, client, onPushed: () => Interlocked.Increment(ref pushes), onFailure: e => failure = e);
        await app.StartAsync();

        var page = await chromium.NewPageAsync();
        var authorizeUrls = new List<string>();
        page.Request += (_, request) =>
        {
            if (request.IsNavigationRequest && request.Url.StartsWith(server.Issuer + "/authorize", StringComparison.Ordinal))
            {
                authorizeUrls.Add(request.Url);
            }
        };
        await page.GotoAsync(appUrl + "/");
        await Flow.SignInAsync(page, user);
        await Flow.AllowAsync(page);
        // The form_post page returns the code to /signin-oidc, which signs in and redirects to "/" (or shows the failure).
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(new Regex("^(Client app|Sign-in failed)$"));

        Assert.True(failure is null, $"The OpenIdConnect handler failed: {failure}");
        await Assertions.Expect(page.Locator("#user")).ToHaveTextAsync(user.Username + "@example.com");
        Assert.Equal(appUrl + "/", page.Url);
        Assert.Equal(1, pushes);
        // The browser carried only client_id and request_uri to /authorize (besides the handler's x-client-SKU/-ver
        // telemetry, which the server ignores): the request itself went through /par.
        var query = System.Web.HttpUtility.ParseQueryString(new Uri(authorizeUrls[0]).Query);
        Assert.Equal(["client_id", "request_uri"], query.AllKeys.Where(k => k?.StartsWith("x-client-", StringComparison.Ordinal) != true).Order(StringComparer.Ordinal));
        Assert.StartsWith("urn:ietf:params:oauth:request_uri:", query["request_uri"], StringComparison.Ordinal);
    }

    private WebApplication BuildClientApp(string appUrl, TestClient client, Action onPushed, Action<Exception?> onFailure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(appUrl);
        builder.Logging.ClearProviders();
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie()
            .AddOpenIdConnect(o =>
            {
                o.Authority = server.Issuer;
                o.RequireHttpsMetadata = false; // loopback test server on plain HTTP
                o.ClientId = client.ClientId;
                o.ClientSecret = client.ClientSecret;
                o.ResponseType = "code";
                o.PushedAuthorizationBehavior = PushedAuthorizationBehavior.Require;
                o.Scope.Add("email");
                o.GetClaimsFromUserInfoEndpoint = true;
                o.MapInboundClaims = false;
                o.Events.OnPushAuthorization = _ =>
                {
                    onPushed();
                    return Task.CompletedTask;
                };
                o.Events.OnRemoteFailure = async context =>
                {
                    onFailure(context.Failure);
                    context.HandleResponse();
                    context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.WriteAsync($"<!doctype html><h1>Sign-in failed</h1><pre>{WebUtility.HtmlEncode(context.Failure?.Message)}</pre>");
                };
                // Plain HTTP on loopback: the handler's cookies default to SameSite=None + Secure, which a browser drops
                // over HTTP. Both apps are on 127.0.0.1 (one site), so Lax still rides along on the form_post callback.
                o.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
            });
        var app = builder.Build();
        app.UseAuthentication();
        app.MapGet("/", async (HttpContext http) =>
        {
            if (http.User.Identity?.IsAuthenticated != true)
            {
                await http.ChallengeAsync();
                return;
            }
            http.Response.ContentType = "text/html; charset=utf-8";
            await http.Response.WriteAsync($"<!doctype html><h1>Client app</h1><p id=\"user\">{WebUtility.HtmlEncode(http.User.FindFirst("email")?.Value)}</p>");
        });
        return app;
    }
}
