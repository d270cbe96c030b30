using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Clients.Authentication;
using Parapet.Protocol.Par;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Requests;
using Parapet.Protocol.Storage;
using Parapet.Storage;

// Times each step of POST /par with Parapet's own code, sequentially on one thread, against a fresh SQLite file:
// form parse → Basic header decode → client lookup (DB) → rest of client auth → validation + request URI → insert (DB) → JSON.
// Kestrel, routing and the HTTP round trip are not here: the floor run measures them (pass --floor-rps / --parapet-rps
// to put the steps beside the per-request time the HTTP runs imply).
//   par-profile [--iterations N] [--warmup N] [--floor-rps X] [--parapet-rps Y] [--data-dir DIR]
var options = Args.Parse(args);
var dataDir = options.DataDir ?? Directory.CreateTempSubdirectory("parapet-profile-").FullName;

var services = new ServiceCollection();
services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
services.AddSingleton(TimeProvider.System);
services.AddParapetStorage(null, dataDir);
await using var provider = services.BuildServiceProvider();
await StorageRegistration.MigrateAsync(provider, CancellationToken.None);

const string clientId = "bench-client";
const string secret = "bench-secret-0123456789-abcdefghijklmnop";
const string redirectUri = "https://client.example.org/cb";
var realClients = provider.GetRequiredService<IClientStore>();
await realClients.AddAsync(new Client
{
    ClientId = clientId,
    SecretHash = ClientSecrets.Hash(secret),
    TokenEndpointAuthMethod = ClientAuthMethods.ClientSecretBasic,
    RedirectUris = [redirectUri],
    CreatedAt = DateTimeOffset.UtcNow,
    Version = 1,
}, CancellationToken.None);

var clients = new TimedClientStore(realClients);
var pushed = new TimedPushedRequestStore(provider.GetRequiredService<IPushedRequestStore>());
var authentication = new ClientAuthentication(clients);
var push = new PushService(pushed, TimeProvider.System);
var properties = new ServerProperties { Issuer = "http://127.0.0.1:8080" };
var authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(clientId + ":" + secret));

string Body(int i) =>
    "response_type=code&client_id=" + clientId + "&redirect_uri=" + Uri.EscapeDataString(redirectUri) + "&scope=openid%20profile"
    + "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
    + "&state=st" + i.ToString(CultureInfo.InvariantCulture) + "x" + Random.Shared.Next().ToString("x8", CultureInfo.InvariantCulture)
    + "&nonce=n" + i.ToString(CultureInfo.InvariantCulture) + "y" + Random.Shared.Next().ToString("x8", CultureInfo.InvariantCulture);

string[] names = ["form parse", "Basic header decode", "client lookup (EF+SQLite)", "client auth rest (SHA-256, checks)",
    "validation + request_uri", "insert (EF+SQLite commit)", "response JSON"];
var ticks = new long[names.Length];

async Task<bool> OneAsync(int i, bool record)
{
    var body = Encoding.UTF8.GetBytes(Body(i));
    var t0 = Stopwatch.GetTimestamp();
    var form = await new FormPipeReader(PipeReader.Create(new MemoryStream(body))).ReadFormAsync();
    var parameters = RequestParameters.From(form.Select(p => new KeyValuePair<string, IReadOnlyList<string?>>(p.Key, p.Value.ToArray()))).Value!;
    var t1 = Stopwatch.GetTimestamp();
    var credentials = PresentedCredentials.From(authorization, parameters);
    var t2 = Stopwatch.GetTimestamp();
    clients.Ticks = 0;
    var client = await authentication.AuthenticateAsync(credentials, CancellationToken.None);
    var t3 = Stopwatch.GetTimestamp();
    pushed.Ticks = 0;
    var result = await push.PushAsync(parameters, client.Value!, properties, CancellationToken.None);
    var t4 = Stopwatch.GetTimestamp();
    var json = JsonSerializer.SerializeToUtf8Bytes(new ParResponse(result.Value!.RequestUri, result.Value.ExpiresIn), ParJson.Default.ParResponse);
    var t5 = Stopwatch.GetTimestamp();
    if (client.Failed || result.Failed || json.Length == 0)
    {
        Console.Error.WriteLine($"step failed: {client.Error?.Description ?? result.Error?.Description}");
        return false;
    }
    if (record)
    {
        ticks[0] += t1 - t0;
        ticks[1] += t2 - t1;
        ticks[2] += clients.Ticks;
        ticks[3] += t3 - t2 - clients.Ticks;
        ticks[4] += t4 - t3 - pushed.Ticks;
        ticks[5] += pushed.Ticks;
        ticks[6] += t5 - t4;
    }
    return true;
}

for (var i = 0; i < options.Warmup; i++)
{
    if (!await OneAsync(i, record: false))
    {
        return 1;
    }
}
var gc0 = GC.CollectionCount(0);
var wall = Stopwatch.StartNew();
for (var i = 0; i < options.Iterations; i++)
{
    await OneAsync(options.Warmup + i, record: true);
}
wall.Stop();
var gcs = GC.CollectionCount(0) - gc0;

// Sub-breakdown of the storage steps with raw ADO.NET on the same file: what a pooled open + the per-open PRAGMAs cost,
// what a bare INSERT/SELECT costs, and so what EF Core adds on top.
var connectionString = $"Data Source={Path.Combine(dataDir, "parapet.db")};Pooling=True";
var sample = AuthorizationRequestSample();
double RawUs(Func<int, Task> op, int n) => RawAsync(op, n).GetAwaiter().GetResult();
async Task<double> RawAsync(Func<int, Task> op, int n)
{
    for (var i = 0; i < Math.Min(n, 500); i++)
    {
        await op(-1 - i);
    }
    var sw = Stopwatch.StartNew();
    for (var i = 0; i < n; i++)
    {
        await op(i);
    }
    return sw.Elapsed.TotalMicroseconds / n;
}
var rawN = Math.Max(500, options.Iterations / 4);
var counter = 0;
var openOnly = RawUs(async _ignored =>
{
    await using var c = new SqliteConnection(connectionString);
    await c.OpenAsync();
}, rawN);
var openPragmas = RawUs(async _ignored =>
{
    await using var c = new SqliteConnection(connectionString);
    await c.OpenAsync();
    await using var p = c.CreateCommand();
    p.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";
    await p.ExecuteNonQueryAsync();
}, rawN);
var rawInsert = RawUs(async _ignored =>
{
    await using var c = new SqliteConnection(connectionString);
    await c.OpenAsync();
    await using var p = c.CreateCommand();
    p.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";
    await p.ExecuteNonQueryAsync();
    await using var cmd = c.CreateCommand();
    cmd.CommandText = "INSERT INTO pushed_requests (Key, ClientId, Request, CreatedAt, ExpiresAt, ViaPar, RedirectUriRegistered, ClaimedBy, ConsumedAt) "
        + "VALUES ($k, $c, $r, $a, $e, 1, 1, NULL, NULL)";
    cmd.Parameters.AddWithValue("$k", "raw-" + Interlocked.Increment(ref counter).ToString(CultureInfo.InvariantCulture) + Guid.NewGuid().ToString("N"));
    cmd.Parameters.AddWithValue("$c", clientId);
    cmd.Parameters.AddWithValue("$r", JsonSerializer.Serialize(sample));
    cmd.Parameters.AddWithValue("$a", 0L);
    cmd.Parameters.AddWithValue("$e", 0L);
    await cmd.ExecuteNonQueryAsync();
}, rawN);
var rawSelect = RawUs(async _ignored =>
{
    await using var c = new SqliteConnection(connectionString);
    await c.OpenAsync();
    await using var p = c.CreateCommand();
    p.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;";
    await p.ExecuteNonQueryAsync();
    await using var cmd = c.CreateCommand();
    cmd.CommandText = "SELECT Data, Version FROM clients WHERE ClientId = $id LIMIT 1";
    cmd.Parameters.AddWithValue("$id", clientId);
    await using var r = await cmd.ExecuteReaderAsync();
    await r.ReadAsync();
    _ = JsonSerializer.Deserialize<Client>(r.GetString(0));
}, rawN);
var requestJson = RawUs(_ignored =>
{
    _ = JsonSerializer.Serialize(sample);
    return Task.CompletedTask;
}, rawN);

// Report.
var perOp = ticks.Select(t => t * 1e6 / Stopwatch.Frequency / options.Iterations).ToArray();
var stepsUs = perOp.Sum();
var md = new StringBuilder();
var inv = CultureInfo.InvariantCulture;
md.AppendLine(inv, $"In-process, one thread, {options.Iterations} iterations after {options.Warmup} warm-up; {wall.Elapsed.TotalMicroseconds / options.Iterations:F1} µs/request wall ({gcs} gen0 GCs).");
md.AppendLine();
var withHttp = options.FloorRps > 0 && options.ParapetRps > 0;
var total = withHttp ? 1e6 / options.ParapetRps : stepsUs;
md.AppendLine(withHttp
    ? $"Shares of Parapet's per-request time under load (1 / {options.ParapetRps:F0} rps = {total:F1} µs on its one core):"
    : "Shares of the in-process steps:");
md.AppendLine();
md.AppendLine("| step | µs/request | share |");
md.AppendLine("| --- | ---: | ---: |");
if (withHttp)
{
    var floorUs = 1e6 / options.FloorRps;
    md.AppendLine(inv, $"| HTTP + Kestrel + form read + JSON write (the floor: 1 / {options.FloorRps:F0} rps) | {floorUs:F1} | {floorUs / total * 100:F1}% |");
}
for (var i = 0; i < names.Length; i++)
{
    // The floor already parses the form and writes JSON; with the HTTP row present those two are inside it.
    var label = withHttp && (i == 0 || i == names.Length - 1) ? names[i] + " (also inside the floor; not added)" : names[i];
    md.AppendLine(inv, $"| {label} | {perOp[i]:F1} | {(withHttp && (i == 0 || i == names.Length - 1) ? "—" : $"{perOp[i] / total * 100:F1}%")} |");
}
if (withHttp)
{
    var attributed = 1e6 / options.FloorRps + perOp.Skip(1).Take(names.Length - 2).Sum();
    md.AppendLine(inv, $"| rest: middleware the floor lacks (auth, exception handler), DI, GC, 32-way SQLite write contention | {total - attributed:F1} | {(total - attributed) / total * 100:F1}% |");
}
md.AppendLine();
md.AppendLine("Storage sub-breakdown (raw ADO.NET on the same file, µs/op):");
md.AppendLine();
md.AppendLine("| operation | µs |");
md.AppendLine("| --- | ---: |");
md.AppendLine(inv, $"| pooled open + close | {openOnly:F1} |");
md.AppendLine(inv, $"| pooled open + the two PRAGMAs Parapet's interceptor runs on every open | {openPragmas:F1} |");
md.AppendLine(inv, $"| …+ bare INSERT of the same row, autocommit (WAL, synchronous=NORMAL) | {rawInsert:F1} |");
md.AppendLine(inv, $"| …+ bare SELECT of the client row + JSON deserialize | {rawSelect:F1} |");
md.AppendLine(inv, $"| JSON serialize of the AuthorizationRequest (inside the insert) | {requestJson:F1} |");
md.AppendLine(inv, $"| EF Core overhead on the insert (EF insert − raw insert) | {perOp[5] - rawInsert:F1} |");
md.AppendLine(inv, $"| EF Core overhead on the client lookup (EF lookup − raw select) | {perOp[2] - rawSelect:F1} |");
Console.Write(md.ToString());
if (options.DataDir is null)
{
    await provider.DisposeAsync();
    SqliteConnection.ClearAllPools();
    Directory.Delete(dataDir, recursive: true);
}
return 0;

static AuthorizationRequest AuthorizationRequestSample()
{
    var form = RequestParameters.From(new Dictionary<string, IReadOnlyList<string?>>
    {
        ["response_type"] = ["code"], ["redirect_uri"] = ["https://client.example.org/cb"], ["scope"] = ["openid profile"],
        ["state"] = ["st1x0badf00d"], ["nonce"] = ["n1y0badf00d"],
        ["code_challenge"] = ["E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"], ["code_challenge_method"] = ["S256"],
    }).Value!;
    return AuthorizationRequest.From(form, "bench-client");
}

internal sealed record ParResponse(
    [property: JsonPropertyName("request_uri")] string RequestUri,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

[JsonSerializable(typeof(ParResponse))]
internal sealed partial class ParJson : JsonSerializerContext;

internal sealed class TimedClientStore(IClientStore inner) : IClientStore
{
    public long Ticks;

    public async Task<Client?> FindAsync(string clientId, CancellationToken ct)
    {
        var t = Stopwatch.GetTimestamp();
        var c = await inner.FindAsync(clientId, ct);
        Ticks += Stopwatch.GetTimestamp() - t;
        return c;
    }

    public Task<IReadOnlyList<Client>> ListAsync(CancellationToken ct) => inner.ListAsync(ct);
    public Task<bool> AddAsync(Client client, CancellationToken ct) => inner.AddAsync(client, ct);
    public Task<bool> UpdateAsync(Client client, long expectedVersion, CancellationToken ct) => inner.UpdateAsync(client, expectedVersion, ct);
    public Task<bool> DeleteAsync(string clientId, CancellationToken ct) => inner.DeleteAsync(clientId, ct);
}

internal sealed class TimedPushedRequestStore(IPushedRequestStore inner) : IPushedRequestStore
{
    public long Ticks;

    public async Task AddAsync(PushedRequest request, CancellationToken ct)
    {
        var t = Stopwatch.GetTimestamp();
        await inner.AddAsync(request, ct);
        Ticks += Stopwatch.GetTimestamp() - t;
    }

    public Task<(ClaimOutcome Outcome, PushedRequest? Request)> ClaimAsync(string key, string clientId, string browser, DateTimeOffset now, DateTimeOffset claimedUntil, CancellationToken ct) =>
        inner.ClaimAsync(key, clientId, browser, now, claimedUntil, ct);
    public Task<bool> ConsumeAsync(string key, string browser, DateTimeOffset now, Parapet.Protocol.Token.AuthorizationCode? code, CancellationToken ct) =>
        inner.ConsumeAsync(key, browser, now, code, ct);
    public Task<IReadOnlyList<PushedRequest>> ListActiveAsync(string? clientId, DateTimeOffset now, int limit, CancellationToken ct) =>
        inner.ListActiveAsync(clientId, now, limit, ct);
    public Task<bool> RevokeAsync(string key, CancellationToken ct) => inner.RevokeAsync(key, ct);
}

internal sealed record Args(int Iterations, int Warmup, double FloorRps, double ParapetRps, string? DataDir)
{
    public static Args Parse(string[] args)
    {
        var a = new Args(20000, 3000, 0, 0, null);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var v = args[i + 1];
            a = args[i] switch
            {
                "--iterations" => a with { Iterations = int.Parse(v, CultureInfo.InvariantCulture) },
                "--warmup" => a with { Warmup = int.Parse(v, CultureInfo.InvariantCulture) },
                "--floor-rps" => a with { FloorRps = double.Parse(v, CultureInfo.InvariantCulture) },
                "--parapet-rps" => a with { ParapetRps = double.Parse(v, CultureInfo.InvariantCulture) },
                "--data-dir" => a with { DataDir = v },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return a;
    }
}
