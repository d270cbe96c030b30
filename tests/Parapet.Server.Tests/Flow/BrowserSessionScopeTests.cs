using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Flow;

/// <summary>
/// The browser session cookie is read where a browser is served, and not on the back-channel hot path (/par, /token), where
/// no cookie authenticates anything and the authentication middleware would only cost time (bench/README.md).
/// </summary>
public sealed class BrowserSessionScopeTests
{
    [Fact]
    public async Task A_signed_in_browser_s_session_is_read_on_authorize_but_not_on_a_push_that_carries_its_cookie()
    {
        var readOn = new ConcurrentQueue<string>();
        await using var server = await ParapetTestServer.StartAsync(services =>
            services.PostConfigure<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme, o =>
                o.Events.OnValidatePrincipal = c =>
                {
                    readOn.Enqueue(c.HttpContext.Request.Path);
                    return Task.CompletedTask;
                }));
        await server.CreateClientAsync("app");
        await server.CreateUserAsync(Steps.Username);
        using var browser = server.CreateBrowser();
        using var authorize = await browser.AuthorizeAsync("app", await server.PushAsync("app"));
        using var signedIn = await browser.SignInAsync(Steps.LocationOf(authorize));
        readOn.Clear();

        using var push = new HttpRequestMessage(HttpMethod.Post, "/par")
        {
            Content = new FormUrlEncodedContent(Steps.PushParameters()),
            Headers = { Authorization = ParapetTestServer.Basic("app", ParapetTestServer.ClientSecret) },
        };
        using var pushed = await browser.SendAsync(push);
        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        Assert.Empty(readOn);

        using var resumed = await browser.AuthorizeAsync("app", await server.PushAsync("app"));
        Assert.Contains("/authorize", readOn);
    }
}
