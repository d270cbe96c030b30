namespace Parapet.Protocol.Clients;

/// <summary>
/// An initial access token (RFC 7591 §3) as stored: an id to list and revoke it by, the SHA-256 of its value (never the value),
/// an optional expiry and an optional number of registrations it allows.
/// </summary>
public sealed record InitialAccessToken(string Id, string Hash, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, int? MaxUses, int Uses)
{
    /// <summary>A new token with 256 bits of randomness; the value is returned once, only its hash is kept.</summary>
    public static (InitialAccessToken Token, string Value) Create(DateTimeOffset now, int? expiresInSeconds, int? maxUses)
    {
        var value = Hashing.NewHandle();
        var id = Hashing.NewHandle()[..16];
        return (new InitialAccessToken(id, Hashing.Sha256(value), now, expiresInSeconds is { } s ? now.AddSeconds(s) : null, maxUses, 0), value);
    }
}
