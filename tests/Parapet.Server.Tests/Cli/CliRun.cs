using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parapet.Cli;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Cli;

/// <summary>What a CLI run printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public JsonNode Json => JsonNode.Parse(Out) ?? throw new InvalidOperationException("stdout is JSON null");

    /// <summary>The secret printed once after "client_secret: ".</summary>
    public string PrintedSecret => Out.Split('\n').Single(l => l.StartsWith("client_secret: ", StringComparison.Ordinal))["client_secret: ".Length..].Trim();
}

/// <summary>Runs <c>parapet …</c> in process against the test server: captured stdout/stderr, no real environment variables.</summary>
internal static class CliRun
{
    /// <summary>With <c>--data-dir</c> of the test server, so the command reads its admin-credentials.json.</summary>
    public static Task<CliResult> AgainstAsync(ParapetTestServer server, params string[] args) =>
        RunAsync(server, [.. args, "--data-dir", server.DataDir]);

    public static async Task<CliResult> RunAsync(ParapetTestServer? server, string[] args, string stdin = "", IReadOnlyDictionary<string, string>? variables = null)
    {
        using var http = server?.CreateClient();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var env = new CliEnvironment
        {
            Out = output,
            Error = error,
            In = new StringReader(stdin),
            Variable = name => variables?.GetValueOrDefault(name),
            Http = http,
        };
        var exit = await CliApp.RunAsync(args, env, CancellationToken.None);
        return new CliResult(exit, output.ToString(), error.ToString());
    }

    /// <summary>A pushed authorization request by a confidential client; returns the status and body.</summary>
    public static async Task<(HttpStatusCode Status, JsonObject Body)> PushAsync(ParapetTestServer server, string clientId, string secret)
    {
        using var http = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/par")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["response_type"] = "code",
                ["redirect_uri"] = ParapetTestServer.RedirectUri,
                ["scope"] = "openid",
                ["code_challenge"] = Pkce.Challenge,
                ["code_challenge_method"] = "S256",
            }),
        };
        request.Headers.Authorization = ParapetTestServer.Basic(clientId, secret);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }
}
