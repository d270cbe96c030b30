using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Parapet.EndToEnd.Infrastructure;

namespace Parapet.EndToEnd;

/// <summary>
/// Several nodes on one PostgreSQL (DESIGN §5): a request pushed to one node is served by another, changes made on one node
/// are in force on the others within a second, both sign alike, and a killed node loses nothing it confirmed.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class MultiNodeTests(PostgresNodes nodes, Chromium chromium, RedirectTarget target)
    : IClassFixture<PostgresNodes>, IClassFixture<RedirectTarget>
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    [BrowserFact]
    public async Task Request_pushed_to_node_A_is_authorized_on_node_B_and_redeemed_on_node_A()
    {
        var client = await nodes.A.CreateClientAsync(target.RedirectUri);
        var user = await nodes.B.CreateUserAsync();
        var attempt = Attempt.New();
        var requestUri = await Flow.PushAsync(nodes.A, client, attempt);
        var page = await chromium.NewPageAsync();

        var response = await Flow.AuthorizeInBrowserAsync(page, nodes.B, client, requestUri, user);
        var tokens = await Flow.RedeemAsync(nodes.A, client, response["code"], attempt);

        Assert.Equal(attempt.State, response["state"]);
        Assert.Equal(attempt.Nonce, Flow.Claims(tokens["id_token"]!.GetValue<string>())["nonce"]!.GetValue<string>());
        // Node B verifies what node A signed: the signing keys live in the shared database.
        var userInfo = await Flow.UserInfoAsync(nodes.B, tokens["access_token"]!.GetValue<string>());
        Assert.Equal(Flow.Claims(tokens["id_token"]!.GetValue<string>())["sub"]!.GetValue<string>(), userInfo["sub"]!.GetValue<string>());
    }

    [BrowserFact]
    public async Task Hundred_claims_of_one_request_uri_spread_over_two_nodes_have_exactly_one_winner()
    {
        var client = await nodes.A.CreateClientAsync(target.RedirectUri);
        var requestUri = await Flow.PushAsync(nodes.A, client, Attempt.New());

        // Each request is a different browser (no cookies), half of them on each node, all at once.
        var statuses = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            var node = i % 2 == 0 ? nodes.A : nodes.B;
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = node.BaseAddress };
            using var response = await http.GetAsync(Flow.AuthorizeUrl(node, client, requestUri));
            return response.StatusCode;
        })));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Redirect));
        Assert.Equal(99, statuses.Count(s => s == HttpStatusCode.BadRequest));
    }

    [BrowserFact]
    public async Task Hundred_redemptions_of_one_code_spread_over_two_nodes_have_exactly_one_winner()
    {
        var client = await nodes.A.CreateClientAsync(target.RedirectUri);
        var user = await nodes.A.CreateUserAsync();
        var attempt = Attempt.New();
        var requestUri = await Flow.PushAsync(nodes.A, client, attempt);
        var page = await chromium.NewPageAsync();
        var code = (await Flow.AuthorizeInBrowserAsync(page, nodes.A, client, requestUri, user))["code"];

        var statuses = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
        {
            var node = i % 2 == 0 ? nodes.A : nodes.B;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "authorization_code",
                    ["code"] = code,
                    ["redirect_uri"] = client.RedirectUri,
                    ["code_verifier"] = attempt.CodeVerifier,
                }),
            };
            request.Headers.Authorization = ParapetProcess.Basic(client.ClientId, client.ClientSecret);
            using var http = new HttpClient { BaseAddress = node.BaseAddress };
            using var response = await http.SendAsync(request);
            return response.StatusCode;
        })));

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(99, statuses.Count(s => s == HttpStatusCode.BadRequest));
    }

    [BrowserFact]
    public async Task A_feature_flag_change_on_node_B_is_in_force_on_node_A_within_a_second()
    {
        var client = await nodes.A.CreateClientAsync(target.RedirectUri);
        using (var adminB = await nodes.B.AdminClientAsync())
        {
            (await adminB.DeleteAsync("/admin/v1/config/features/par")).EnsureSuccessStatusCode();
        }
        try
        {
            await Eventually.HoldsAsync(OneSecond, "node A answers 403 at /par and drops PAR from discovery", async () =>
            {
                var (status, _) = await Flow.TryPushAsync(nodes.A, client, Attempt.New());
                return status == HttpStatusCode.Forbidden && !(await nodes.A.DiscoveryAsync()).ContainsKey("pushed_authorization_request_endpoint");
            });
        }
        finally
        {
            using var adminA = await nodes.A.AdminClientAsync();
            (await adminA.PutAsync("/admin/v1/config/features/par", null)).EnsureSuccessStatusCode();
        }
        await Eventually.HoldsAsync(OneSecond, "node B accepts pushes again", async () =>
            (await Flow.TryPushAsync(nodes.B, client, Attempt.New())).Status == HttpStatusCode.Created);
    }

    [BrowserFact]
    public async Task A_client_disabled_on_node_A_is_refused_by_node_B_within_a_second()
    {
        var client = await nodes.A.CreateClientAsync(target.RedirectUri);
        Assert.Equal(HttpStatusCode.Created, (await Flow.TryPushAsync(nodes.B, client, Attempt.New())).Status);
        using var adminA = await nodes.A.AdminClientAsync();
        using var content = new StringContent(new JsonObject { ["disabled"] = true }.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

        (await adminA.PutAsync($"/admin/v1/clients/{client.ClientId}", content)).EnsureSuccessStatusCode();

        await Eventually.HoldsAsync(OneSecond, "node B refuses the disabled client", async () =>
            (await Flow.TryPushAsync(nodes.B, client, Attempt.New())).Status == HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void The_first_node_starts_on_a_fresh_database_without_an_error_line()
    {
        // Node A migrated the fresh database: up to "Application started" its log holds no error (EF Core used to log its
        // read of the not-yet-created history table as one).
        var startup = nodes.A.Output.Split('\n').TakeWhile(line => !line.Contains("Application started", StringComparison.Ordinal)).ToList();

        Assert.Contains(startup, line => line.Contains("listening on", StringComparison.Ordinal));
        Assert.DoesNotContain(startup, line => line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_node_without_the_clusters_key_encryption_key_refuses_to_start_with_what_to_do()
    {
        // A third node whose data directory has no key-encryption key: it would make one of its own, which cannot read the
        // key ring nodes A and B share, and then Data Protection keys that A and B cannot read.
        var dataDir = Path.Combine(Path.GetTempPath(), "parapet-e2e", Guid.NewGuid().ToString("N"));
        var keyFile = Path.Combine(dataDir, "key-encryption.key");
        var keyRing = await KeyRingRowsAsync();
        Assert.NotEmpty(keyRing);
        Assert.All(keyRing, xml =>
        {
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("requiresEncryption", xml, StringComparison.Ordinal);
        });

        var (exitCode, output) = await ParapetProcess.RunCliAsync("serve", "--urls", $"http://127.0.0.1:{FreePorts.Next()}", "--data-dir", dataDir, "--db", nodes.Database);

        Assert.Equal(1, exitCode);
        Assert.Contains($"error: Cannot read the database's Data Protection keys with the key-encryption key {keyFile} (", output);
        Assert.Contains("copy it from the node that created the database, or point --key-encryption-key (PARAPET_KEY_ENCRYPTION_KEY) at it.", output);
        Assert.DoesNotContain("   at ", output);
        Assert.False(File.Exists(keyFile), "the key-encryption key made by the refused start was left behind");
        Assert.Equal(keyRing, await KeyRingRowsAsync()); // the refused node wrote nothing into the shared key ring
        Directory.Delete(dataDir, recursive: true);
    }

    private async Task<List<string>> KeyRingRowsAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(nodes.Database);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT \"Xml\" FROM data_protection_keys ORDER BY \"Id\"", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }
        return rows;
    }

    [Fact]
    public async Task A_key_rotation_on_node_B_is_published_and_signed_with_by_node_A()
    {
        var before = await SigningKeyIdsAsync(nodes.B);

        JsonArray after;
        using (var adminB = await nodes.B.AdminClientAsync())
        using (var rotated = await adminB.PostAsync("/admin/v1/keys/rotate", null))
        {
            Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
            after = (await rotated.Content.ReadFromJsonAsync<JsonArray>())!;
        }
        var newCurrent = KeyId(after, "current");
        var newNext = KeyId(after, "next");
        Assert.Equal(before.Next, newCurrent); // the key published before it signs is the one that now signs

        // Node A learns of the rotation from the database (keys polled each second); a bounded wait, not a sleep.
        await Eventually.HoldsAsync(TimeSpan.FromSeconds(5), "node A publishes the new next key and signs with the new current key", async () =>
            (await JwksAsync(nodes.A)).Any(k => k["kid"]!.GetValue<string>() == newNext)
            && JwtKeyId(await AccessTokenAsync(nodes.A)) == newCurrent);

        // What node A signs now verifies with the keys node B publishes.
        var token = await AccessTokenAsync(nodes.A);
        var jwksB = await JwksAsync(nodes.B);
        Assert.Contains(jwksB, k => k["kid"]!.GetValue<string>() == newNext);
        Assert.True(VerifiesRs256(token, jwksB), "a token signed by node A after the rotation does not verify with node B's /jwks");
        // The outgoing key stays published on both nodes for the tokens it signed (DESIGN §2.7).
        Assert.Contains(await JwksAsync(nodes.A), k => k["kid"]!.GetValue<string>() == before.Current);
    }

    [BrowserFact]
    public async Task Pushed_requests_confirmed_by_a_killed_node_are_served_by_the_survivor()
    {
        var client = await nodes.A.CreateClientAsync(target.RedirectUri);
        var doomed = await nodes.StartNodeAsync();
        var confirmed = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var (status, body) = await Flow.TryPushAsync(doomed, client, Attempt.New());
                    if (status == HttpStatusCode.Created)
                    {
                        confirmed.Add(body["request_uri"]!.GetValue<string>());
                    }
                }
                catch (HttpRequestException)
                {
                    return; // the node is gone
                }
            }
        })).ToArray();
        await Eventually.HoldsAsync(TimeSpan.FromSeconds(30), "the doomed node confirmed 50 pushes", () => Task.FromResult(confirmed.Count >= 50));

        await doomed.KillAsync();
        await stop.CancelAsync();
        await Task.WhenAll(load);
        await doomed.DisposeAsync();

        foreach (var requestUri in confirmed)
        {
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = nodes.B.BaseAddress };
            using var response = await http.GetAsync(Flow.AuthorizeUrl(nodes.B, client, requestUri));
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.StartsWith("/login", StringComparison.Ordinal),
                $"{requestUri} confirmed with 201 was not served by the survivor: {(int)response.StatusCode}");
        }
    }

    [BrowserFact]
    public async Task A_database_outage_answers_503_with_Retry_After_and_the_nodes_recover_by_themselves()
    {
        var client = await nodes.A.CreateClientAsync(target.RedirectUri);
        Assert.Equal(HttpStatusCode.Created, (await Flow.TryPushAsync(nodes.A, client, Attempt.New())).Status);

        await nodes.Postgres.StopAsync();
        try
        {
            var (status, body, headers) = await Flow.TryPushWithHeadersAsync(nodes.A, client, Attempt.New());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("temporarily_unavailable", body["error"]!.GetValue<string>());
            Assert.True(headers.RetryAfter?.Delta > TimeSpan.Zero, "503 without Retry-After");
        }
        finally
        {
            await nodes.Postgres.StartAsync();
        }
        foreach (var node in new[] { nodes.A, nodes.B })
        {
            await Eventually.HoldsAsync(TimeSpan.FromSeconds(30), "the node serves pushes again", async () =>
                (await Flow.TryPushAsync(node, client, Attempt.New())).Status == HttpStatusCode.Created);
        }
    }

    private static async Task<(string Current, string Next)> SigningKeyIdsAsync(ParapetProcess node)
    {
        using var admin = await node.AdminClientAsync();
        var keys = (await admin.GetFromJsonAsync<JsonArray>("/admin/v1/keys"))!;
        return (KeyId(keys, "current"), KeyId(keys, "next"));
    }

    /// <summary>The RS256 key (the one that signs tokens) with <paramref name="status"/> in the admin API's key list.</summary>
    private static string KeyId(JsonArray keys, string status) => keys
        .Single(k => k!["alg"]!.GetValue<string>() == "RS256" && k["status"]!.GetValue<string>() == status)!["kid"]!.GetValue<string>();

    private static async Task<JsonObject[]> JwksAsync(ParapetProcess node) =>
        (await node.Http.GetFromJsonAsync<JsonObject>("/jwks"))!["keys"]!.AsArray().Select(k => k!.AsObject()).ToArray();

    /// <summary>A token the node signs now: an admin access token by client_credentials.</summary>
    private static async Task<string> AccessTokenAsync(ParapetProcess node)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = "parapet.admin" }),
        };
        request.Headers.Authorization = ParapetProcess.Basic(node.Admin.ClientId, node.Admin.ClientSecret);
        using var response = await node.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["access_token"]!.GetValue<string>();
    }

    private static string JwtKeyId(string jwt) => JsonNode.Parse(Base64UrlDecode(jwt.Split('.')[0]))!["kid"]!.GetValue<string>();

    /// <summary>RFC 7515 §5.2 for RS256 (RFC 7518 §3.3): the signature over "header.payload" checks with the key named by kid.</summary>
    private static bool VerifiesRs256(string jwt, JsonObject[] jwks)
    {
        var parts = jwt.Split('.');
        var jwk = jwks.SingleOrDefault(k => k["kid"]!.GetValue<string>() == JwtKeyId(jwt) && k["kty"]!.GetValue<string>() == "RSA");
        if (jwk is null)
        {
            return false;
        }
        using var rsa = System.Security.Cryptography.RSA.Create(new System.Security.Cryptography.RSAParameters
        {
            Modulus = Base64UrlDecode(jwk["n"]!.GetValue<string>()),
            Exponent = Base64UrlDecode(jwk["e"]!.GetValue<string>()),
        });
        return rsa.VerifyData(System.Text.Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64UrlDecode(parts[2]),
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
    }

    private static byte[] Base64UrlDecode(string value)
    {
        var s = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
