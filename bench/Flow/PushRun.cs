using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Flow;

/// <summary>
/// POST /par in a closed loop with one client-authentication method (see <see cref="PushCredentials"/>): N workers, one
/// connection each, warm-up then a measured window; the same realistic parameters as bench/wrk/par.lua. The auth-methods
/// scenario runs it once per method and quotes each against client_secret_basic measured by this same generator.
/// </summary>
internal static class PushRun
{
    private static int s_errorsPrinted;

    public static async Task<int> RunAsync(Options options)
    {
        var workers = options.Int("workers", 32);
        var warmup = options.Double("warmup", 5);
        var seconds = options.Double("seconds", 15);
        var clkTck = options.Int("clk-tck", 100);
        var pids = options.Get("server-pids", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var redirectUri = options.Get("redirect-uri");
        var credentials = PushCredentials.Create(options);
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = workers,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
        };
        if (options.Get("server-cert", "") is { Length: > 0 } serverCert)
        {
            // https listeners in the bench serve the server's self-signed loopback certificate: pinned, nothing else trusted.
            var pinned = X509Certificate2.CreateFromPem(File.ReadAllText(serverCert)).RawData;
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(pinned);
        }
        if (options.Get("cert", "") is { Length: > 0 } certFile)
        {
            // mTLS methods: the client certificate on every connection (one handshake per worker; connections are kept alive).
            handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPemFile(certFile, options.Get("cert-key"))];
        }
        using var http = new HttpClient(handler) { BaseAddress = new Uri(options.Get("url").TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(10) };

        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(seconds * Stopwatch.Frequency);
        var latencies = Enumerable.Range(0, workers).Select(_ => new List<long>(1 << 15)).ToArray();
        var errors = new long[workers];
        long ticksFrom = 0, ticksTo = 0;
        TimeSpan clientFrom = default, clientTo = default;
        var sampler = Task.Run(async () =>
        {
            await Task.Delay(Stopwatch.GetElapsedTime(start, measureFrom));
            ticksFrom = FlowRun.ServerTicks(pids);
            clientFrom = Process.GetCurrentProcess().TotalProcessorTime;
            await Task.Delay(Stopwatch.GetElapsedTime(measureFrom, measureTo));
            ticksTo = FlowRun.ServerTicks(pids);
            clientTo = Process.GetCurrentProcess().TotalProcessorTime;
        });
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() is var t0 && t0 < measureTo)
            {
                var ok = await PushAsync(http, credentials, redirectUri);
                if (t0 < measureFrom)
                {
                    continue;
                }
                if (ok)
                {
                    latencies[w].Add((Stopwatch.GetTimestamp() - t0) * 1_000_000 / Stopwatch.Frequency);
                }
                else
                {
                    errors[w]++;
                }
            }
        })));
        await sampler;

        var all = latencies.SelectMany(l => l).Order().ToArray();
        long At(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))];
        var serverSeconds = (ticksTo - ticksFrom) / (double)clkTck;
        Console.WriteLine(FormattableString.Invariant(
            $"RESULT method={credentials.Method} requests={all.Length} rps={all.Length / seconds:F0} p50_us={At(0.5)} p90_us={At(0.9)} p99_us={At(0.99)} bad={errors.Sum()} server_cpu_pct={100 * serverSeconds / seconds:F0} server_cpu_us_per_req={(all.Length == 0 ? 0 : 1e6 * serverSeconds / all.Length):F1} client_cpu_pct={100 * (clientTo - clientFrom).TotalSeconds / seconds:F0}"));
        return errors.Sum() == 0 && all.Length > 0 ? 0 : 1;
    }

    private static async Task<bool> PushAsync(HttpClient http, PushCredentials credentials, string redirectUri)
    {
        var form = new StringBuilder(512)
            .Append("response_type=code&redirect_uri=").Append(Uri.EscapeDataString(redirectUri))
            .Append("&scope=openid%20profile&state=").Append(Handle(12)).Append("&nonce=").Append(Handle(12))
            .Append("&code_challenge=").Append(Handle(32)).Append("&code_challenge_method=S256");
        using var request = new HttpRequestMessage(HttpMethod.Post, "par");
        credentials.Apply(request, form);
        request.Content = new ByteArrayContent(Encoding.ASCII.GetBytes(form.ToString()));
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        try
        {
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.Created)
            {
                return true;
            }
            if (Interlocked.Increment(ref s_errorsPrinted) <= 5)
            {
                await Console.Error.WriteLineAsync($"push ({credentials.Method}) answered {(int)response.StatusCode}: {(body.Length > 300 ? body[..300] : body)}");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            if (Interlocked.Increment(ref s_errorsPrinted) <= 5)
            {
                await Console.Error.WriteLineAsync($"push ({credentials.Method}) failed: {e.Message}");
            }
        }
        return false;
    }

    private static string Handle(int bytes) => FlowRun.Base64Url(RandomNumberGenerator.GetBytes(bytes));
}
