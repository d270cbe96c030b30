using System.Net;
using Parapet.EndToEnd.Infrastructure;

namespace Parapet.EndToEnd;

/// <summary>
/// The <c>par</c> feature flag switched off and on while the server runs (DESIGN §2.1.2, §2.2.5, §2.7, §3.1): POST /par answers
/// 403 access_denied and discovery drops the PAR endpoint within a second; request URIs issued before keep working.
/// </summary>
internal static class ParFeatureFlag
{
    private static readonly TimeSpan Propagation = TimeSpan.FromSeconds(1);

    public static async Task OffThenOnAsync(ParapetProcess server, Chromium chromium, RedirectTarget target, Func<bool, Task> setPar)
    {
        var client = await server.CreateClientAsync(target.RedirectUri);
        var user = await server.CreateUserAsync();
        var earlier = Attempt.New();
        var issuedBefore = await Flow.PushAsync(server, client, earlier);
        Assert.Equal(server.Issuer + "/par", (await server.DiscoveryAsync())["pushed_authorization_request_endpoint"]?.GetValue<string>());

        await setPar(false);
        await Eventually.HoldsAsync(Propagation, "POST /par answers 403 access_denied", async () =>
        {
            var (status, body) = await Flow.TryPushAsync(server, client, Attempt.New());
            return status == HttpStatusCode.Forbidden && body["error"]?.GetValue<string>() == "access_denied";
        });
        await Eventually.HoldsAsync(Propagation, "discovery drops pushed_authorization_request_endpoint",
            async () => !(await server.DiscoveryAsync()).ContainsKey("pushed_authorization_request_endpoint"));
        // Janssen behaviour: request URIs already issued still resolve until they expire.
        var response = await Flow.AuthorizeInBrowserAsync(await chromium.NewPageAsync(), server, client, issuedBefore, user);
        Assert.Equal(earlier.State, response["state"]);

        await setPar(true);
        await Eventually.HoldsAsync(Propagation, "POST /par answers 201 again",
            async () => (await Flow.TryPushAsync(server, client, Attempt.New())).Status == HttpStatusCode.Created);
        await Eventually.HoldsAsync(Propagation, "discovery publishes pushed_authorization_request_endpoint again",
            async () => (await server.DiscoveryAsync())["pushed_authorization_request_endpoint"]?.GetValue<string>() == server.Issuer + "/par");
    }
}

[Collection(BrowserCollection.Name)]
public sealed class ParFeatureFlagThroughCliTests(ParapetProcess server, Chromium chromium, RedirectTarget target)
    : IClassFixture<ParapetProcess>, IClassFixture<RedirectTarget>
{
    [BrowserFact]
    public Task Par_flag_switched_with_the_cli_applies_while_the_server_runs() =>
        ParFeatureFlag.OffThenOnAsync(server, chromium, target, async on =>
        {
            var (exitCode, output) = await ParapetProcess.RunCliAsync("features", on ? "enable" : "disable", "par", "--data-dir", server.DataDir);
            Assert.True(exitCode == 0, $"parapet features {(on ? "enable" : "disable")} par: exit {exitCode}\n{output}");
        });
}

[Collection(BrowserCollection.Name)]
public sealed class ParFeatureFlagThroughAdminApiTests(ParapetProcess server, Chromium chromium, RedirectTarget target)
    : IClassFixture<ParapetProcess>, IClassFixture<RedirectTarget>
{
    [BrowserFact]
    public Task Par_flag_switched_with_the_admin_api_applies_while_the_server_runs() =>
        ParFeatureFlag.OffThenOnAsync(server, chromium, target, async on =>
        {
            using var admin = await server.AdminClientAsync();
            using var response = on ? await admin.PutAsync("/admin/v1/config/features/par", null) : await admin.DeleteAsync("/admin/v1/config/features/par");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(on ? "PUT" : "DELETE")} /admin/v1/config/features/par: {(int)response.StatusCode} {body}");
            Assert.Contains($"\"enabled\":{(on ? "true" : "false")}", body, StringComparison.Ordinal);
        });
}
