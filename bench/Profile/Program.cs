using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
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
// Kestrel, routing and the HTTP round trip are not here: the floor run measures them (pass --floor-us / --parapet-us,
// the server CPU µs per request measured in the HTTP runs, to put the steps beside them).
//   par-profile [--iterations N] [--warmup N] [--floor-us X] [--parapet-us Y] [--data-dir DIR]
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
// The basic-auth path never touches assertions, keys or the vault; they are wired as the server wires them.
var keys = new ClientKeyResolver(new NoJwksFetcher(), TimeProvider.System);
var authentication = new ClientAuthentication(clients, new ClientAssertion(provider.GetRequiredService<IReplayCache>(), TimeProvider.System), keys, new NoSecretVault(),
    Parapet.Protocol.Clients.Certificates.ClientCertificateTrust.None(TimeProvider.System));
var push = new PushService(pushed, new RequestObjectReader(keys, new RequestObjectDecryptor(new NoEncryptionKeys()), TimeProvider.System), TimeProvider.System);
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

// One push through the steps, reading mark() at each step boundary: Stopwatch.GetTimestamp for the timed loop, the allocation
// counter for the allocation pass. Null when a step failed.
async Task<long[]?> StepsAsync(int i, Func<long> mark)
{
    var body = Encoding.UTF8.GetBytes(Body(i));
    var m0 = mark();
    var form = await new FormPipeReader(PipeReader.Create(new MemoryStream(body))).ReadFormAsync();
    var parameters = RequestParameters.From(form.Select(p => new KeyValuePair<string, IReadOnlyList<string?>>(p.Key, p.Value.ToArray()))).Value!;
    var m1 = mark();
    var credentials = PresentedCredentials.From(authorization, parameters);
    var m2 = mark();
    clients.Ticks = 0;
    var client = await authentication.AuthenticateAsync(credentials, properties, CancellationToken.None);
    var m3 = mark();
    pushed.Ticks = 0;
    var result = await push.PushAsync(parameters, client.Value!, properties, CancellationToken.None);
    var m4 = mark();
    var json = JsonSerializer.SerializeToUtf8Bytes(new ParResponse(result.Value!.RequestUri, result.Value.ExpiresIn), ParJson.Default.ParResponse);
    var m5 = mark();
    if (client.Failed || result.Failed || json.Length == 0)
    {
        Console.Error.WriteLine($"step failed: {client.Error?.Description ?? result.Error?.Description}");
        return null;
    }
    return [m0, m1, m2, m3, m4, m5];
}

async Task<bool> OneAsync(int i, bool record)
{
    if (await StepsAsync(i, Stopwatch.GetTimestamp) is not { } t)
    {
        return false;
    }
    if (record)
    {
        ticks[0] += t[1] - t[0];
        ticks[1] += t[2] - t[1];
        ticks[2] += clients.Ticks;
        ticks[3] += t[3] - t[2] - clients.Ticks;
        ticks[4] += t[4] - t[3] - pushed.Ticks;
        ticks[5] += pushed.Ticks;
        ticks[6] += t[5] - t[4];
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
var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
var wall = Stopwatch.StartNew();
for (var i = 0; i < options.Iterations; i++)
{
    await OneAsync(options.Warmup + i, record: true);
}
wall.Stop();
var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMicroseconds;
var gcs = GC.CollectionCount(0) - gc0;
var allocated = await AllocationsAsync(2000);
// Steps are timed by wall clock; on a busy machine wall time includes time the thread was not running. The process's CPU
// time over the loop (GC, finalizer and JIT threads included) rescales them, so they compare with the server's CPU/request.
var cpuScale = cpuUs / wall.Elapsed.TotalMicroseconds;

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
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    for (var i = 0; i < n; i++)
    {
        await op(i);
    }
    return (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / n;
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
var contexts = provider.GetRequiredService<IContextFactory>();
var efContext = RawUs(async _ignored =>
{
    await using var db = contexts.Create();
    await Task.CompletedTask;
}, rawN);
var efOpen = RawUs(async _ignored =>
{
    await using var db = contexts.Create();
    await db.Database.OpenConnectionAsync();
    await db.Database.CloseConnectionAsync();
}, rawN);
var requestJson = RawUs(_ignored =>
{
    _ = JsonSerializer.Serialize(sample);
    return Task.CompletedTask;
}, rawN);

// Report.
var perOp = ticks.Select(t => t * 1e6 / Stopwatch.Frequency / options.Iterations * cpuScale).ToArray();
var stepsUs = perOp.Sum();
var md = new StringBuilder();
var inv = CultureInfo.InvariantCulture;
md.AppendLine(inv, $"In-process, one thread, {options.Iterations} iterations after {options.Warmup} warm-up: {wall.Elapsed.TotalMicroseconds / options.Iterations:F1} µs/request wall, {cpuUs / options.Iterations:F1} µs/request process CPU ({gcs} gen0 GCs). Step times below are wall times scaled by CPU/wall = {cpuScale:F2}.");
md.AppendLine();
var withHttp = options.FloorUs > 0 && options.ParapetUs > 0;
var total = withHttp ? options.ParapetUs : stepsUs;
md.AppendLine(withHttp
    ? $"Shares of Parapet's server CPU per request under load ({total:F1} µs, measured from /proc during the wrk run):"
    : "Shares of the in-process steps:");
md.AppendLine();
md.AppendLine("| step | µs/request | share |");
md.AppendLine("| --- | ---: | ---: |");
if (withHttp)
{
    var floorUs = options.FloorUs;
    md.AppendLine(inv, $"| HTTP + Kestrel + form read + JSON write (the floor's server CPU per request) | {floorUs:F1} | {floorUs / total * 100:F1}% |");
}
for (var i = 0; i < names.Length; i++)
{
    // The floor already parses the form and writes JSON; with the HTTP row present those two are inside it.
    var label = withHttp && (i == 0 || i == names.Length - 1) ? names[i] + " (also inside the floor; not added)" : names[i];
    md.AppendLine(inv, $"| {label} | {perOp[i]:F1} | {(withHttp && (i == 0 || i == names.Length - 1) ? "—" : $"{perOp[i] / total * 100:F1}%")} |");
}
if (withHttp)
{
    var attributed = options.FloorUs + perOp.Skip(1).Take(names.Length - 2).Sum();
    md.AppendLine(inv, $"| rest: middleware the floor lacks (auth, exception handler), DI, GC, 32-way SQLite write contention | {total - attributed:F1} | {(total - attributed) / total * 100:F1}% |");
}
md.AppendLine();
md.AppendLine("Storage sub-breakdown (raw ADO.NET on the same file; process CPU µs/op):");
md.AppendLine();
md.AppendLine("| operation | µs |");
md.AppendLine("| --- | ---: |");
md.AppendLine(inv, $"| pooled open + close | {openOnly:F1} |");
md.AppendLine(inv, $"| pooled open + two PRAGMAs (what Parapet ran on every open until session 8; now once per SQLite handle) | {openPragmas:F1} |");
md.AppendLine(inv, $"| …+ bare INSERT of the same row, autocommit (WAL, synchronous=NORMAL) | {rawInsert:F1} |");
md.AppendLine(inv, $"| …+ bare SELECT of the client row + JSON deserialize | {rawSelect:F1} |");
md.AppendLine(inv, $"| EF: pooled context rent + return | {efContext:F1} |");
md.AppendLine(inv, $"| EF: pooled context + connection open/close (the interceptor's once-per-handle check and EF's per-open SQLite function registration) | {efOpen:F1} |");
md.AppendLine(inv, $"| JSON serialize of the AuthorizationRequest (inside the insert) | {requestJson:F1} |");
md.AppendLine(inv, $"| EF Core overhead on the insert (EF insert − raw insert) | {perOp[5] - rawInsert:F1} |");
md.AppendLine(inv, $"| EF Core overhead on the client lookup (EF lookup − raw select) | {perOp[2] - rawSelect:F1} |");
md.AppendLine();
md.AppendLine("Bytes allocated per push by each step (a separate pass of 2,000 pushes on one thread; every byte is collected again, so");
md.AppendLine("each one is young-generation work; the server also allocates for Kestrel, routing and the response):");
md.AppendLine();
md.AppendLine("| step | bytes/push |");
md.AppendLine("| --- | ---: |");
string[] allocationSteps = ["form parse + RequestParameters", "Basic header decode", "client authentication", "validation + request_uri + insert", "response JSON"];
for (var i = 0; i < allocationSteps.Length; i++)
{
    md.AppendLine(inv, $"| {allocationSteps[i]} | {allocated[i]:F0} |");
}
Console.Write(md.ToString());
if (options.DataDir is null)
{
    await provider.DisposeAsync();
    SqliteConnection.ClearAllPools();
    Directory.Delete(dataDir, recursive: true);
}
return 0;

// Allocation by step, apart from the timed loop: the precise allocation counter is too slow to read inside it.
async Task<double[]> AllocationsAsync(int n)
{
    var bytes = new long[5];
    for (var i = 0; i < n; i++)
    {
        var a = await StepsAsync(i, () => GC.GetTotalAllocatedBytes(precise: true)) ?? throw new InvalidOperationException("a push failed");
        for (var step = 0; step < bytes.Length; step++)
        {
            bytes[step] += a[step + 1] - a[step];
        }
    }
    return [.. bytes.Select(b => (double)b / n)];
}

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

internal sealed record Args(int Iterations, int Warmup, double FloorUs, double ParapetUs, string? DataDir)
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
                "--floor-us" => a with { FloorUs = double.Parse(v, CultureInfo.InvariantCulture) },
                "--parapet-us" => a with { ParapetUs = double.Parse(v, CultureInfo.InvariantCulture) },
                "--data-dir" => a with { DataDir = v },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return a;
    }
}

/// <summary>The profile's clients register no jwks_uri: nothing is ever fetched.</summary>
internal sealed class NoJwksFetcher : IJwksFetcher
{
    public Task<string?> FetchAsync(Uri jwksUri, CancellationToken ct) => Task.FromResult<string?>(null);
}

/// <summary>The profile pushes no request objects, so nothing is ever decrypted.</summary>
internal sealed class NoEncryptionKeys : Parapet.Protocol.Jose.IEncryptionKeys
{
    public IReadOnlyList<Microsoft.IdentityModel.Tokens.JsonWebKey> PublicJwks => [];
    public Task<Microsoft.IdentityModel.Tokens.JsonWebKey?> FindAsync(string? kid, string alg, CancellationToken ct) =>
        Task.FromResult<Microsoft.IdentityModel.Tokens.JsonWebKey?>(null);
}

/// <summary>The profile's client uses client_secret_basic: no secret is ever protected.</summary>
internal sealed class NoSecretVault : Parapet.Protocol.ISecretVault
{
    public string Protect(string secret) => throw new NotSupportedException("not used by the profile");
    public string? Unprotect(string protectedSecret) => null;
}
