using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Flow;

/// <summary>
/// The full flow per second: N workers, each looping push (client_secret_basic, S256 PKCE) → GET /authorize with the browser
/// session cookie (no redirect followed: the 302's Location carries the code) → POST /token with the verifier (expects 200).
/// A warm-up (discarded), the measured window, then an optional serial pass (one worker) that times each step unloaded and
/// attributes the server's CPU to the steps by reading /proc/PID/stat around each one.
/// </summary>
internal static class FlowRun
{
    private const int Steps = 3;
    private static readonly string[] StepNames = ["push", "authorize", "token"];

    private sealed class Config
    {
        public required Uri Url { get; init; }
        public required string ClientId { get; init; }
        public required string RedirectUri { get; init; }
        public required string Cookie { get; init; }
        public required AuthenticationHeaderValue Basic { get; init; }
        public required int[] ServerPids { get; init; }
    }

    /// <summary>What one worker saw: per-flow totals and per-step times in µs, and errors by step.</summary>
    private sealed class Tally
    {
        public List<long> Flow { get; } = new(1 << 14);
        public List<long>[] Step { get; } = [new(1 << 14), new(1 << 14), new(1 << 14)];
        public long[] StepServerTicks { get; } = new long[Steps];
        public long[] Errors { get; } = new long[Steps];
    }

    private static int s_errorsPrinted;

    public static async Task<int> RunAsync(Options options)
    {
        var workers = options.Int("workers", 16);
        var warmup = options.Double("warmup", 3);
        var seconds = options.Double("seconds", 10);
        var serialSeconds = options.Double("serial-seconds", 0);
        var clkTck = options.Int("clk-tck", 100);
        var config = new Config
        {
            Url = new Uri(options.Get("url").TrimEnd('/') + "/"),
            ClientId = options.Get("client-id"),
            RedirectUri = options.Get("redirect-uri"),
            Cookie = options.Get("cookie"),
            Basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
                Uri.EscapeDataString(options.Get("client-id")) + ":" + Uri.EscapeDataString(options.Get("client-secret"))))),
            ServerPids = options.Get("server-pids", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray(),
        };
        using var http = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = workers,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
        })
        { BaseAddress = config.Url, Timeout = TimeSpan.FromSeconds(10) };

        // Warm-up and measured window in one run: the connections and the JIT stay warm.
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(seconds * Stopwatch.Frequency);
        var tallies = Enumerable.Range(0, workers).Select(_ => new Tally()).ToArray();
        long serverTicksFrom = 0, serverTicksTo = 0;
        TimeSpan clientCpuFrom = default, clientCpuTo = default;
        var sampler = Task.Run(async () =>
        {
            await Task.Delay(Stopwatch.GetElapsedTime(start, measureFrom));
            serverTicksFrom = ServerTicks(config.ServerPids);
            clientCpuFrom = Process.GetCurrentProcess().TotalProcessorTime;
            await Task.Delay(Stopwatch.GetElapsedTime(measureFrom, measureTo));
            serverTicksTo = ServerTicks(config.ServerPids);
            clientCpuTo = Process.GetCurrentProcess().TotalProcessorTime;
        });
        await Task.WhenAll(tallies.Select(t => Task.Run(() => WorkerAsync(http, config, t, measureFrom, measureTo, timeSteps: false))));
        await sampler;

        var all = Merge(tallies);
        var measuredSeconds = seconds;
        var flows = all.Flow.Count;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"RESULT flows={flows} seconds={measuredSeconds:F2} fps={flows / measuredSeconds:F1} workers={workers}");
        AppendPercentiles(sb, "", all.Flow);
        for (var s = 0; s < Steps; s++)
        {
            AppendPercentiles(sb, StepNames[s] + "_", all.Step[s]);
            sb.Append(CultureInfo.InvariantCulture, $" {StepNames[s]}_errors={all.Errors[s]}");
        }
        sb.Append(CultureInfo.InvariantCulture, $" errors={all.Errors.Sum()}");
        if (config.ServerPids.Length > 0 && flows > 0)
        {
            var serverSeconds = (serverTicksTo - serverTicksFrom) / (double)clkTck;
            sb.Append(CultureInfo.InvariantCulture, $" server_cpu_pct={100 * serverSeconds / measuredSeconds:F0} server_cpu_us_per_flow={1e6 * serverSeconds / flows:F1}");
        }
        sb.Append(CultureInfo.InvariantCulture, $" client_cpu_pct={100 * (clientCpuTo - clientCpuFrom).TotalSeconds / measuredSeconds:F0}");

        if (serialSeconds > 0)
        {
            // One worker, nothing queued: each step's latency is its service time (server + loopback + this client), and the
            // server's CPU read around each step (utime+stime, whose sum the kernel keeps exact and reports in ticks) splits
            // the server's CPU per flow by step; the tick rounding averages out over hundreds of flows.
            var serial = new Tally();
            var from = Stopwatch.GetTimestamp();
            var serialStart = Stopwatch.GetTimestamp();
            await WorkerAsync(http, config, serial, from, from + (long)(serialSeconds * Stopwatch.Frequency), timeSteps: config.ServerPids.Length > 0);
            var serialElapsed = Stopwatch.GetElapsedTime(serialStart).TotalSeconds;
            sb.Append(CultureInfo.InvariantCulture, $" serial_flows={serial.Flow.Count} serial_fps={serial.Flow.Count / serialElapsed:F1}");
            AppendPercentiles(sb, "serial_", serial.Flow);
            for (var s = 0; s < Steps; s++)
            {
                AppendPercentiles(sb, "serial_" + StepNames[s] + "_", serial.Step[s]);
                if (config.ServerPids.Length > 0 && serial.Flow.Count > 0)
                {
                    sb.Append(CultureInfo.InvariantCulture, $" serial_{StepNames[s]}_server_cpu_us={1e6 * serial.StepServerTicks[s] / clkTck / serial.Flow.Count:F1}");
                }
            }
            sb.Append(CultureInfo.InvariantCulture, $" serial_errors={serial.Errors.Sum()}");
        }
        Console.WriteLine(sb.ToString());
        await Console.Error.WriteLineAsync(FormattableString.Invariant(
            $"flow: {flows} flows in {measuredSeconds:F1} s = {flows / measuredSeconds:F1}/s with {workers} workers; errors push {all.Errors[0]}, authorize {all.Errors[1]}, token {all.Errors[2]}"));
        return all.Errors.Sum() == 0 && flows > 0 ? 0 : 1;
    }

    private static async Task WorkerAsync(HttpClient http, Config config, Tally tally, long measureFrom, long measureTo, bool timeSteps)
    {
        var times = new long[Steps + 1];
        var ticks = new long[Steps + 1];
        while (true)
        {
            var t0 = Stopwatch.GetTimestamp();
            if (t0 >= measureTo)
            {
                return;
            }
            var measured = t0 >= measureFrom;
            var verifier = Handle();
            var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
            var state = Handle()[..16];
            times[0] = t0;
            if (timeSteps)
            {
                ticks[0] = ServerTicks(config.ServerPids);
            }
            var step = 0;
            try
            {
                // 1. Push.
                var pushBody = "response_type=code&client_id=" + Uri.EscapeDataString(config.ClientId)
                    + "&redirect_uri=" + Uri.EscapeDataString(config.RedirectUri) + "&scope=openid%20profile&state=" + state
                    + "&nonce=" + Handle()[..16] + "&code_challenge=" + challenge + "&code_challenge_method=S256";
                using var push = new HttpRequestMessage(HttpMethod.Post, "par") { Content = Form(pushBody) };
                push.Headers.Authorization = config.Basic;
                string requestUri;
                using (var response = await http.SendAsync(push))
                {
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.Created)
                    {
                        throw new FlowException($"push answered {(int)response.StatusCode}: {Truncate(body)}");
                    }
                    using var json = JsonDocument.Parse(body);
                    requestUri = json.RootElement.GetProperty("request_uri").GetString() ?? throw new FlowException("push: no request_uri");
                }
                Mark(1);

                // 2. Authorize with the session; no browser cookie: the server sets one and claims + consumes in this request.
                step = 1;
                using var authorize = new HttpRequestMessage(HttpMethod.Get,
                    "authorize?client_id=" + Uri.EscapeDataString(config.ClientId) + "&request_uri=" + Uri.EscapeDataString(requestUri));
                authorize.Headers.TryAddWithoutValidation("Cookie", config.Cookie);
                string code;
                using (var response = await http.SendAsync(authorize))
                {
                    var body = await response.Content.ReadAsStringAsync();
                    var location = response.Headers.Location?.OriginalString;
                    if (response.StatusCode != HttpStatusCode.Found || location is null)
                    {
                        throw new FlowException($"authorize answered {(int)response.StatusCode} (Location {location}): {Truncate(body)}");
                    }
                    var query = Query(location);
                    code = query.GetValueOrDefault("code") ?? throw new FlowException($"authorize: no code in {Truncate(location)}");
                    // The floor has no storage to echo state from; Parapet must echo the pushed one.
                    if (query.TryGetValue("state", out var echoed) && echoed != state)
                    {
                        throw new FlowException("authorize: state mismatch");
                    }
                }
                Mark(2);

                // 3. Token.
                step = 2;
                var tokenBody = "grant_type=authorization_code&code=" + Uri.EscapeDataString(code)
                    + "&redirect_uri=" + Uri.EscapeDataString(config.RedirectUri) + "&code_verifier=" + verifier;
                using var token = new HttpRequestMessage(HttpMethod.Post, "token") { Content = Form(tokenBody) };
                token.Headers.Authorization = config.Basic;
                using (var response = await http.SendAsync(token))
                {
                    var body = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.OK || !body.Contains("\"access_token\"", StringComparison.Ordinal))
                    {
                        throw new FlowException($"token answered {(int)response.StatusCode}: {Truncate(body)}");
                    }
                }
                Mark(3);
            }
            catch (Exception e) when (e is FlowException or HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
                if (measured)
                {
                    tally.Errors[step]++;
                }
                if (Interlocked.Increment(ref s_errorsPrinted) <= 5)
                {
                    await Console.Error.WriteLineAsync($"flow error at {StepNames[step]}: {e.Message}");
                }
                continue;
            }
            if (!measured)
            {
                continue;
            }
            tally.Flow.Add(Us(times[0], times[3]));
            for (var s = 0; s < Steps; s++)
            {
                tally.Step[s].Add(Us(times[s], times[s + 1]));
                tally.StepServerTicks[s] += ticks[s + 1] - ticks[s];
            }
        }

        void Mark(int i)
        {
            times[i] = Stopwatch.GetTimestamp();
            if (timeSteps)
            {
                ticks[i] = ServerTicks(config.ServerPids);
            }
        }
    }

    private static Tally Merge(Tally[] tallies)
    {
        var all = new Tally();
        foreach (var t in tallies)
        {
            all.Flow.AddRange(t.Flow);
            for (var s = 0; s < Steps; s++)
            {
                all.Step[s].AddRange(t.Step[s]);
                all.Errors[s] += t.Errors[s];
            }
        }
        return all;
    }

    private static void AppendPercentiles(StringBuilder sb, string prefix, List<long> values)
    {
        if (values.Count == 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $" {prefix}p50_us=0 {prefix}p90_us=0 {prefix}p99_us=0 {prefix}mean_us=0");
            return;
        }
        values.Sort();
        long At(double p) => values[Math.Min(values.Count - 1, (int)(p * values.Count))];
        sb.Append(CultureInfo.InvariantCulture,
            $" {prefix}p50_us={At(0.50)} {prefix}p90_us={At(0.90)} {prefix}p99_us={At(0.99)} {prefix}mean_us={values.Average():F0}");
    }

    /// <summary>utime+stime of the server processes, in clock ticks.</summary>
    internal static long ServerTicks(int[] pids)
    {
        long sum = 0;
        foreach (var pid in pids)
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Fields after the ")" that closes the command name: state is field 3, utime 14, stime 15.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            sum += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        return sum;
    }

    private static Dictionary<string, string> Query(string location)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var q = location.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
        {
            return result;
        }
        foreach (var pair in location[(q + 1)..].Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                result[Uri.UnescapeDataString(pair[..eq])] = Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            }
        }
        return result;
    }

    private static ByteArrayContent Form(string body)
    {
        var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return content;
    }

    private static long Us(long from, long to) => (to - from) * 1_000_000 / Stopwatch.Frequency;

    private static string Handle() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Truncate(string s) => s.Length <= 200 ? s : s[..200];

    private sealed class FlowException(string message) : Exception(message);
}
