namespace Parapet.Protocol.Clients;

/// <summary>Reads a client's <c>jwks_uri</c>. The host implements it over HTTP with a timeout and a size limit.</summary>
public interface IJwksFetcher
{
    /// <summary>The JWK Set document, or null when it could not be fetched (error status, timeout, too large).</summary>
    Task<string?> FetchAsync(Uri jwksUri, CancellationToken ct);
}
