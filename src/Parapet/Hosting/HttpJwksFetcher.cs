using Parapet.Protocol.Clients;
using Parapet.Protocol.Properties;

namespace Parapet.Hosting;

/// <summary>
/// Fetches a client's <c>jwks_uri</c> with a short timeout and a size limit: the URL is the client's to choose, so a slow or
/// huge answer must cost the server little. No redirects are followed (the registered URL is the one trusted), no proxy is
/// used, only https is spoken, and <see cref="PrivateNetworkGuard"/> keeps the connection off loopback and private networks
/// unless <c>jwksUriAllowPrivateNetworks</c> (local development) allows them, and plain http with them.
/// </summary>
internal sealed class HttpJwksFetcher(IHttpClientFactory factory, IPropertySource properties, ILogger<HttpJwksFetcher> logger) : IJwksFetcher
{
    /// <summary>The guarded client: every connection it opens was checked to reach a public address.</summary>
    public const string HttpClientName = "client-jwks";

    /// <summary>
    /// The client used while <c>jwksUriAllowPrivateNetworks</c> is on. A pool of its own, so a connection to a private address
    /// opened while allowed can never be reused by the guarded client once the allowance is turned off.
    /// </summary>
    public const string PrivateNetworksHttpClientName = "client-jwks-private-networks";

    public const int MaxBytes = 64 * 1024;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static void Register(IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName, c => c.Timeout = Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => Handler(new PrivateNetworkGuard().ConnectAsync));
        services.AddHttpClient(PrivateNetworksHttpClientName, c => c.Timeout = Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => Handler(null));
        services.AddSingleton<IJwksFetcher, HttpJwksFetcher>();
    }

    private static SocketsHttpHandler Handler(Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect) => new()
    {
        AllowAutoRedirect = false,
        ConnectTimeout = Timeout,
        // Through a proxy, the guard would vet the proxy's address instead of the client's host.
        UseProxy = false,
        ConnectCallback = connect,
    };

    public async Task<string?> FetchAsync(Uri jwksUri, CancellationToken ct)
    {
        var allowPrivate = properties.Current.Properties.JwksUriAllowPrivateNetworks;
        if (jwksUri.Scheme != Uri.UriSchemeHttps && !(allowPrivate && jwksUri.Scheme == Uri.UriSchemeHttp))
        {
            logger.LogWarning("jwks_uri {Uri} refused: only https is fetched", jwksUri);
            return null;
        }
        // HttpClient.Timeout ends with the headers; this bounds the body too.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Timeout);
        try
        {
            var http = factory.CreateClient(allowPrivate ? PrivateNetworksHttpClientName : HttpClientName);
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
        catch (HttpRequestException e) when (e.InnerException is PrivateNetworkRefusedException refused)
        {
            logger.LogWarning("jwks_uri {Uri} refused: {Reason}", jwksUri, refused.Message);
            return null;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogInformation("jwks_uri {Uri} could not be fetched: {Reason}", jwksUri, e.Message);
            return null;
        }
    }
}
