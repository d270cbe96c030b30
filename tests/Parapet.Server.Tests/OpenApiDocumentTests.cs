using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests;

public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task The_openapi_document_lists_exactly_the_real_routes()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var http = server.CreateClient();
        var document = (await http.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var documented = document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(m => $"{m.Key.ToUpperInvariant()} {p.Key}"))
            .ToHashSet();

        var real = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .Where(e => !e.RoutePattern.RawText!.StartsWith("/openapi", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {Normalize(e.RoutePattern.RawText!)}"))
            .ToHashSet();

        Assert.Empty(real.Except(documented));
        Assert.Empty(documented.Except(real));
        Assert.Contains("POST /par", documented);
        Assert.Contains("POST /token", documented);
        Assert.Contains("PATCH /admin/v1/config", documented);
    }

    [Fact]
    public async Task The_par_endpoint_is_documented_with_its_form_and_answers()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var http = server.CreateClient();
        var par = (await http.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!["paths"]!["/par"]!["post"]!;

        Assert.NotNull(par["requestBody"]!["content"]!["application/x-www-form-urlencoded"]);
        Assert.NotNull(par["responses"]!["201"]);
        Assert.NotNull(par["responses"]!["429"]);
        Assert.Contains("9126", par["summary"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    // Route parameters may carry constraints in the pattern ({id:int}); the document shows the bare name.
    private static string Normalize(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace("/" + pattern.TrimStart('/'), @"\{([^}:]+)(:[^}]*)?\}", "{$1}");
}
