using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Parapet.Protocol;
using Parapet.Protocol.Errors;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Flow;

/// <summary>DESIGN §2.1 rules 1, 4, 7 and 8: the shape of POST /par and its answers.</summary>
public sealed class ParEndpointTests
{
    [Fact]
    public async Task Push_answers_201_with_request_uri_expires_in_json_and_no_caching()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");

        using var response = await server.PostParAsync(Steps.PushParameters(), ParapetTestServer.Basic("app", ParapetTestServer.ClientSecret));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl!.NoCache);
        Assert.True(response.Headers.CacheControl.NoStore);
        var body = await Steps.JsonAsync(response);
        Assert.Equal(["request_uri", "expires_in"], body.Select(p => p.Key));
        Assert.Matches("^urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{51}$", body["request_uri"]!.GetValue<string>());
        Assert.Equal(600, body["expires_in"]!.GetValue<int>());
    }

    [Fact]
    public async Task Request_uri_reference_is_the_issue_time_and_32_random_bytes_and_differs_per_push()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");

        var first = Base64Url.Decode((await server.PushAsync("app"))["urn:ietf:params:oauth:request_uri:".Length..]);
        var second = Base64Url.Decode((await server.PushAsync("app"))["urn:ietf:params:oauth:request_uri:".Length..]);

        Assert.Equal(6 + 32, first.Length);
        Assert.Equal(server.Time.GetUtcNow().ToUnixTimeMilliseconds(), Convert.ToInt64(Convert.ToHexString(first[..6]), 16));
        Assert.NotEqual(first[6..], second[6..]);
    }

    [Fact]
    public async Task Database_stores_only_the_issue_time_and_the_sha256_of_the_reference()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");

        var requestUri = await server.PushAsync("app");

        var reference = requestUri["urn:ietf:params:oauth:request_uri:".Length..];
        var keys = new List<string>();
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(server.DataDir, "parapet.db")};Mode=ReadOnly;Pooling=False"))
        {
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT Key, Request FROM pushed_requests";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
                Assert.DoesNotContain(reference, reader.GetString(1), StringComparison.Ordinal);
            }
        }
        var key = Assert.Single(keys);
        Assert.NotEqual(reference, key);
        Assert.DoesNotContain(reference, key, StringComparison.Ordinal);
        Assert.Equal(Convert.ToHexStringLower(Base64Url.Decode(reference)[..6]) + Base64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(reference))), key);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    [InlineData("PATCH")]
    public async Task Other_methods_are_405_with_allow_post(string method)
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var http = server.CreateClient();

        using var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/par"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
    }

    [Theory]
    [InlineData("application/json", "{\"response_type\":\"code\"}")]
    [InlineData("text/plain", "response_type=code")]
    [InlineData("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"response_type\"\r\n\r\ncode\r\n--x--\r\n")]
    public async Task Non_form_content_type_is_invalid_request(string contentType, string body)
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/par") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Authorization = ParapetTestServer.Basic("app", ParapetTestServer.ClientSecret);

        using var response = await http.SendAsync(request);

        var expected = OAuthErrors.FormContentTypeRequired();
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Push_without_a_body_is_invalid_request()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/par");
        request.Headers.Authorization = ParapetTestServer.Basic("app", ParapetTestServer.ClientSecret);

        using var response = await http.SendAsync(request);

        var expected = OAuthErrors.FormContentTypeRequired();
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Body_over_64_KiB_is_413()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        var form = Steps.PushParameters();
        for (var i = 0; i < 10; i++)
        {
            form["x" + i] = new string('a', 7000);
        }

        using var response = await server.PostParAsync(form, ParapetTestServer.Basic("app", ParapetTestServer.ClientSecret));

        var expected = OAuthErrors.BodyTooLarge(64 * 1024);
        await Steps.AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, expected.Code, expected.Description);
    }

    [Theory]
    [InlineData("scope")]
    [InlineData("redirect_uri")]
    [InlineData("state")]
    [InlineData("code_challenge")]
    [InlineData("client_id")]
    public async Task Push_with_a_duplicate_parameter_is_invalid_request(string name)
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        var form = Steps.PushParameters().ToList();
        form.Add(new(name, name == "client_id" ? "app" : "again"));
        if (name == "client_id")
        {
            form.Add(new(name, "app"));
        }

        using var response = await server.PostParAsync(form, ParapetTestServer.Basic("app", ParapetTestServer.ClientSecret));

        var expected = OAuthErrors.DuplicateParameter(name);
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Push_with_request_uri_parameter_is_invalid_request()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        var earlier = await server.PushAsync("app");

        using var response = await server.PostParAsync(Steps.PushParameters(("request_uri", earlier)), ParapetTestServer.Basic("app", ParapetTestServer.ClientSecret));

        var expected = OAuthErrors.RequestUriNotAllowedAtPar();
        await Steps.AssertErrorAsync(response, HttpStatusCode.BadRequest, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Expires_in_is_the_clients_par_lifetime()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app", new JsonObject { ["par_lifetime"] = 120 });

        using var response = await server.PostParAsync(Steps.PushParameters(), ParapetTestServer.Basic("app", ParapetTestServer.ClientSecret));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(120, (await Steps.JsonAsync(response))["expires_in"]!.GetValue<int>());
    }

    [Fact]
    public async Task Par_lifetime_zero_means_the_server_default()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app", new JsonObject { ["par_lifetime"] = 0 });

        using var response = await server.PostParAsync(Steps.PushParameters(), ParapetTestServer.Basic("app", ParapetTestServer.ClientSecret));

        Assert.Equal(600, (await Steps.JsonAsync(response))["expires_in"]!.GetValue<int>());
    }

    [Fact]
    public async Task Expires_in_follows_a_changed_defaultParLifetime_at_once()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        await server.CreateClientAsync("own", new JsonObject { ["par_lifetime"] = 120 });

        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/defaultParLifetime","value":90}]""");

        using var response = await server.PostParAsync(Steps.PushParameters(), ParapetTestServer.Basic("app", ParapetTestServer.ClientSecret));
        Assert.Equal(90, (await Steps.JsonAsync(response))["expires_in"]!.GetValue<int>());
        using var own = await server.PostParAsync(Steps.PushParameters(), ParapetTestServer.Basic("own", ParapetTestServer.ClientSecret));
        Assert.Equal(120, (await Steps.JsonAsync(own))["expires_in"]!.GetValue<int>());
    }

    [Fact]
    public async Task Par_feature_flag_off_is_403_access_denied()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");

        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/featureFlags","value":["health_check","registration","userinfo"]}]""");

        using var response = await server.PostParAsync(Steps.PushParameters(), ParapetTestServer.Basic("app", ParapetTestServer.ClientSecret));
        var expected = OAuthErrors.ParDisabled();
        await Steps.AssertErrorAsync(response, HttpStatusCode.Forbidden, expected.Code, expected.Description);
    }

    [Fact]
    public async Task Par_feature_flag_back_on_accepts_pushes_again()
    {
        await using var server = await ParapetTestServer.StartAsync();
        await server.CreateClientAsync("app");
        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/featureFlags","value":["health_check","registration","userinfo"]}]""");

        await server.PatchPropertiesAsync("""[{"op":"replace","path":"/featureFlags","value":["health_check","par","registration","userinfo"]}]""");

        using var response = await server.PostParAsync(Steps.PushParameters(), ParapetTestServer.Basic("app", ParapetTestServer.ClientSecret));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
