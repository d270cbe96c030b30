using Parapet.Protocol.Clients;

namespace Parapet.Hosting;

/// <summary>
/// Fetches a client's <c>jwks_uri</c> with a short timeout and a size limit: the URL is the client's to choose, so a slow or
/// huge answer must cost the server little. No redirects are followed (the registered URL is the one trusted).
/// </summary>
internal sealed class HttpJwksFetcher(IHttpClientFactory factory, ILogger<HttpJwksFetcher> logger) : IJwksFetcher
{
    public const string HttpClientName = "client-jwks";
    public const int MaxBytes = 64 * 1024;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static void Register(IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName, c => c.Timeout = Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = Timeout });
        services.AddSingleton<IJwksFetcher, HttpJwksFetcher>();
    }

    public async Task<string?> FetchAsync(Uri jwksUri, CancellationToken ct)
    {
        // HttpClient.Timeout ends with the headers; this bounds the body too.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Timeout);
        try
        {
            var http = factory.CreateClient(HttpClientName);
            using var response = await http.GetAsync(jwksUri, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > MaxBytes)
            {
                logger.LogInformation("jwks_uri {Uri} answered {Status} ({Length} bytes); keys not loaded", jwksUri, (int)response.StatusCode, response.Content.Headers.ContentLength);
                return null;
            }
            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            var buffer = new byte[MaxBytes + 1];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await body.ReadAsync(buffer.AsMemory(read), deadline.Token)) > 0)
            {
                read += n;
            }
            if (read > MaxBytes)
            {
                logger.LogInformation("jwks_uri {Uri} is larger than {Max} bytes; keys not loaded", jwksUri, MaxBytes);
                return null;
            }
            return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogInformation("jwks_uri {Uri} could not be fetched: {Reason}", jwksUri, e.Message);
            return null;
        }
    }
}
