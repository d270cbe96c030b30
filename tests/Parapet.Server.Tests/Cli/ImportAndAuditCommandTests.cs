using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Cli;

public sealed class ImportAndAuditCommandTests
{
    private const string JanssenConfig = """
        {
          "issuer": "http://localhost",
          "parEndpoint": "https://jans.example/jans-auth/restv1/par",
          "mtlsParEndpoint": "https://mtls.jans.example/jans-auth/restv1/par",
          "requirePar": true,
          "featureFlags": [],
          "umaConfigurationEndpoint": "https://jans.example/jans-auth/restv1/uma2-configuration",
          "configurationUpdateInterval": 3600
        }
        """;

    private const string JanssenClients = """
        {"start": 0, "totalEntriesCount": 1, "entries": [
          {"inum": "1800.shop", "displayName": "Shop", "redirectUris": ["https://client.example/cb"], "responseTypes": ["code"],
           "grantTypes": ["authorization_code"], "tokenEndpointAuthMethod": "client_secret_basic",
           "clientSecret": "0123456789abcdef0123456789abcdef-x",
           "scopes": ["inum=F0C4,ou=scopes,o=jans"], "attributes": {"parLifetime": 120, "requirePar": true}}
        ]}
        """;

    private static string Write(string text)
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Import_janssen_applies_the_properties_in_one_revision_and_reports_what_it_ignored()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();
        var before = (await admin.GetFromJsonAsync<JsonObject>("/admin/v1/config"))!["revision"]!.GetValue<long>();

        var result = await CliRun.AgainstAsync(server, "import", "janssen", "--config", Write(JanssenConfig));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("umaConfigurationEndpoint", result.Out, StringComparison.Ordinal);
        Assert.Contains("configurationUpdateInterval", result.Out, StringComparison.Ordinal);
        var config = (await admin.GetFromJsonAsync<JsonObject>("/admin/v1/config"))!;
        Assert.Equal(before + 1, config["revision"]!.GetValue<long>());
        Assert.True(config["requirePar"]!.GetValue<bool>());
        Assert.Equal(1, config["configurationUpdateInterval"]!.GetValue<int>());
        Assert.Contains("uma", config["featureFlags"]!.AsArray().Select(f => f!.GetValue<string>()));
        using var http = server.CreateClient();
        var discovery = (await http.GetFromJsonAsync<JsonObject>("/.well-known/openid-configuration"))!;
        Assert.Equal("https://jans.example/jans-auth/restv1/par", discovery["pushed_authorization_request_endpoint"]!.GetValue<string>());
        Assert.Equal("https://mtls.jans.example/jans-auth/restv1/par", discovery["mtls_endpoint_aliases"]!["pushed_authorization_request_endpoint"]!.GetValue<string>());
    }

    [Fact]
    public async Task Import_janssen_dry_run_changes_nothing()
    {
        await using var server = await ParapetTestServer.StartAsync();
        using var admin = await server.CreateAdminClientAsync();
        var before = (await admin.GetFromJsonAsync<JsonObject>("/admin/v1/config"))!["revision"]!.GetValue<long>();

        var result = await CliRun.AgainstAsync(server, "import", "janssen", "--config", Write(JanssenConfig), "--clients", Write(JanssenClients), "--dry-run");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("would change", result.Out, StringComparison.Ordinal);
        Assert.Contains("requirePar", result.Out, StringComparison.Ordinal);
        Assert.Equal(before, (await admin.GetFromJsonAsync<JsonObject>("/admin/v1/config"))!["revision"]!.GetValue<long>());
        using var missing = await admin.GetAsync("/admin/v1/clients/1800.shop");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Imported_janssen_client_keeps_its_par_lifetime_and_secret()
    {
        await using var server = await ParapetTestServer.StartAsync();

        var result = await CliRun.AgainstAsync(server, "import", "janssen", "--clients", Write(JanssenClients), "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("created", result.Json["clients"]![0]!["outcome"]!.GetValue<string>());
        Assert.Contains("scopes", result.Json["clients"]![0]!["ignored"]!.ToJsonString(), StringComparison.Ordinal);
        var (status, body) = await CliRun.PushAsync(server, "1800.shop", "0123456789abcdef0123456789abcdef-x");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal(120, body["expires_in"]!.GetValue<int>());
    }

    [Fact]
    public async Task Audit_lists_changes_made_through_the_cli()
    {
        await using var server = await ParapetTestServer.StartAsync();
        Assert.Equal(0, (await CliRun.AgainstAsync(server, "config", "set", "requirePar", "true")).ExitCode);

        var result = await CliRun.AgainstAsync(server, "audit", "--target", "requirePar", "--json");

        Assert.Equal(0, result.ExitCode);
        var entry = Assert.Single(result.Json.AsArray())!;
        Assert.Equal("parapet-admin", entry["actor"]!.GetValue<string>());
        Assert.Equal("true", entry["after"]!.GetValue<string>());
    }
}
