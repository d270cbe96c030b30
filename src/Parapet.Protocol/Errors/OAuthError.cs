namespace Parapet.Protocol.Errors;

/// <summary>
/// An expected protocol failure, carried as a value (never thrown).
/// <paramref name="Description"/> is public and goes to the client; <paramref name="LogDetail"/> stays in the logs.
/// </summary>
/// <param name="Code">The RFC 6749 / 9126 error code (<c>invalid_request</c>, …).</param>
/// <param name="Description">Words a client developer can act on; never internals or secrets.</param>
/// <param name="Status">HTTP status for JSON answers.</param>
/// <param name="Redirectable">True when the error may travel to a validated redirect URI (authorization endpoint only).</param>
public sealed record OAuthError(string Code, string Description, int Status = 400, bool Redirectable = false, string? LogDetail = null)
{
    /// <summary>Extra response headers (e.g. <c>WWW-Authenticate</c>, <c>Retry-After</c>).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public OAuthError AsRedirectable() => this with { Redirectable = true };
}
