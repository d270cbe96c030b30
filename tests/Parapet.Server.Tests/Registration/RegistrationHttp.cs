using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Parapet.Server.Tests.Admin;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Registration;

/// <summary>Steps the registration tests share: open registration, register, call the client configuration endpoint, read the SQLite file.</summary>
internal static class RegistrationHttp
{
    public const string Valid = """{"redirect_uris":["https://rp.example/cb"],"client_name":"RP","par_lifetime":120,"require_par":true}""";

    /// <summary>Turns dynamic registration on, plus any further JSON Patch operations (comma-separated objects).</summary>
    public static Task EnableAsync(this ParapetTestServer server, string moreOperations = "") =>
        server.PatchPropertiesAsync($$"""[{"op":"replace","path":"dynamicRegistrationEnabled","value":true}{{(moreOperations.Length > 0 ? "," + moreOperations : "")}}]""");

    public static Task<HttpResponseMessage> RegisterAsync(this ParapetTestServer server, string json = Valid, string? bearer = null) =>
        server.SendAsync(HttpMethod.Post, "/register", bearer, json);

    /// <summary>Registers <paramref name="json"/> and returns the 201 body.</summary>
    public static async Task<JsonObject> RegisteredAsync(this ParapetTestServer server, string json = Valid, string? bearer = null)
    {
        using var response = await server.RegisterAsync(json, bearer);
        var body = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        return body;
    }

    /// <summary>GET, PUT or DELETE on <c>/register/{client_id}</c> with a Bearer token (none when null).</summary>
    public static Task<HttpResponseMessage> ConfigurationAsync(this ParapetTestServer server, HttpMethod method, string clientId, string? token, string? json = null) =>
        server.SendAsync(method, "/register/" + Uri.EscapeDataString(clientId), token, json);

    public static async Task<HttpResponseMessage> SendAsync(this ParapetTestServer server, HttpMethod method, string path, string? bearer, string? json)
    {
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        return await http.SendAsync(request);
    }

    public static string Text(this JsonObject body, string member) => body[member]!.GetValue<string>();

    /// <summary>Every value of one column of the server's SQLite file, read directly (what a database dump would show).</summary>
    public static async Task<IReadOnlyList<string>> ColumnAsync(this ParapetTestServer server, string table, string column)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(server.DataDir, "parapet.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT \"{column}\" FROM \"{table}\"";
        var values = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.IsDBNull(0) ? "" : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }
        return values;
    }

    /// <summary>The audit entries of the admin API's trail that match <paramref name="query"/> (e.g. <c>?actor=registration</c>).</summary>
    public static async Task<JsonArray> AuditAsync(this ParapetTestServer server, string query)
    {
        using var admin = await server.CreateAdminClientAsync();
        using var response = await admin.GetAsync("/admin/v1/audit" + query);
        return await response.JsonArrayAsync();
    }
}
