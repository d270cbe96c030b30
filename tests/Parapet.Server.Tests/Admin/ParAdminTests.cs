using System.Net;
using System.Net.Http.Headers;
using Parapet.Protocol;
using Parapet.Protocol.Par;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Admin;

public sealed class ParAdminTests
{
    [Fact]
    public async Task Active_pushed_requests_are_listed_without_their_reference()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        await server.CreateClientAsync("other");
        var first = await server.PushedRequestUriAsync("app");
        var second = await server.PushedRequestUriAsync("other");
        using var admin = await server.CreateAdminClientAsync();

        using var response = await admin.GetAsync("/admin/v1/par");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        foreach (var requestUri in new[] { first, second })
        {
            var reference = requestUri[RequestUri.Prefix.Length..];
            Assert.DoesNotContain(reference, text, StringComparison.Ordinal);
            Assert.DoesNotContain(requestUri, text, StringComparison.Ordinal);
        }
        var items = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsArray();
        Assert.Equal(2, items.Count);
        var item = Assert.Single(items, i => i!["client_id"]!.GetValue<string>() == "app")!;
        Assert.Equal(RequestUri.KeyOf(first), item["id"]!.GetValue<string>());
        Assert.Equal(ParapetTestServer.RedirectUri, item["redirect_uri"]!.GetValue<string>());
        Assert.Equal("openid", item["scope"]!.GetValue<string>());
        Assert.False(item["claimed"]!.GetValue<bool>());
        Assert.True(item["via_par"]!.GetValue<bool>());
        Assert.DoesNotContain("code_challenge", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_list_can_be_filtered_by_client()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        await server.CreateClientAsync("other");
        await server.PushedRequestUriAsync("app");
        await server.PushedRequestUriAsync("other");
        await server.PushedRequestUriAsync("other");
        using var admin = await server.CreateAdminClientAsync();

        using var response = await admin.GetAsync("/admin/v1/par?client_id=other");

        var items = await response.JsonArrayAsync();
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal("other", i!["client_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Expired_pushed_requests_are_not_listed()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        await server.PushedRequestUriAsync("app");

        server.Time.Advance(TimeSpan.FromSeconds(601));
        using var admin = await server.CreateAdminClientAsync();
        using var response = await admin.GetAsync("/admin/v1/par");

        Assert.Empty(await response.JsonArrayAsync());
    }

    [Fact]
    public async Task A_revoked_pushed_request_is_refused_at_authorize_and_leaves_the_others()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        var revoked = await server.PushedRequestUriAsync("app");
        var kept = await server.PushedRequestUriAsync("app");
        using var admin = await server.CreateAdminClientAsync();
        var id = RequestUri.KeyOf(revoked)!;

        using var delete = await admin.DeleteAsync($"/admin/v1/par/{Uri.EscapeDataString(id)}");

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        var remaining = await (await admin.GetAsync("/admin/v1/par")).JsonArrayAsync();
        Assert.Equal([RequestUri.KeyOf(kept)], remaining.Select(i => i!["id"]!.GetValue<string>()));
        using var browser = server.CreateBrowser();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/authorize?client_id=app&request_uri={Uri.EscapeDataString(revoked)}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var authorize = await browser.SendAsync(request);
        var body = await authorize.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request_uri");
        Assert.Null(authorize.Headers.Location);
        Assert.Equal("The request_uri is unknown, expired or already used.", body["error_description"]!.GetValue<string>());
        using var again = await admin.DeleteAsync($"/admin/v1/par/{Uri.EscapeDataString(id)}");
        await again.AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task The_stored_id_cannot_be_used_as_a_request_uri()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        var requestUri = await server.PushedRequestUriAsync("app");
        var id = RequestUri.KeyOf(requestUri)!;
        Assert.EndsWith(Hashing.Sha256(requestUri[RequestUri.Prefix.Length..]), id, StringComparison.Ordinal);
        using var browser = server.CreateBrowser();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/authorize?client_id=app&request_uri={Uri.EscapeDataString(RequestUri.Prefix + id)}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var authorize = await browser.SendAsync(request);

        await authorize.AssertOAuthErrorAsync(HttpStatusCode.BadRequest, "invalid_request_uri");
    }
}
