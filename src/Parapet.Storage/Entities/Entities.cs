namespace Parapet.Storage.Entities;

// Times are stored as Unix milliseconds: both providers compare integers natively, and SQLite cannot compare DateTimeOffset in SQL.

/// <summary>The server properties: one JSON document with a revision (DESIGN §3.1).</summary>
public sealed class PropertiesEntity
{
    public int Id { get; set; }
    public long Revision { get; set; }
    public string Document { get; set; } = "";
    public long UpdatedAt { get; set; }
}

/// <summary>A client: its id and version as columns, the rest as the JSON of <c>Client</c>.</summary>
public sealed class ClientEntity
{
    public string ClientId { get; set; } = "";
    public long Version { get; set; }
    public string Data { get; set; } = "";
}

public sealed class PushedRequestEntity
{
    /// <summary>SHA-256 of the reference.</summary>
    public string Key { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string Request { get; set; } = "";
    public long CreatedAt { get; set; }
    public long ExpiresAt { get; set; }
    public bool ViaPar { get; set; }
    public bool RedirectUriRegistered { get; set; }
    /// <summary>Hash of the browser-transaction id that claimed it.</summary>
    public string? ClaimedBy { get; set; }
    public long? ConsumedAt { get; set; }
}

public sealed class AuthorizationCodeEntity
{
    public string Key { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string Subject { get; set; } = "";
    public string RedirectUri { get; set; } = "";
    public string Scope { get; set; } = "";
    public string? Nonce { get; set; }
    public string? CodeChallenge { get; set; }
    public string? CodeChallengeMethod { get; set; }
    public long AuthTime { get; set; }
    public long ExpiresAt { get; set; }
    public string GrantId { get; set; } = "";
    public long? RedeemedAt { get; set; }
    /// <summary>RFC 9449 §10: the DPoP key thumbprint the code is bound to; null for an unbound code.</summary>
    public string? DpopJkt { get; set; }
}

public sealed class RefreshTokenEntity
{
    public string Key { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Scope { get; set; } = "";
    public long AuthTime { get; set; }
    public long ExpiresAt { get; set; }
    public string GrantId { get; set; } = "";
    public long? UsedAt { get; set; }
    /// <summary>Null for tokens issued before the column existed.</summary>
    public long? IssuedAt { get; set; }
    /// <summary>RFC 9449 §5: the DPoP key thumbprint a public client's refresh token is bound to; null when unbound.</summary>
    public string? DpopJkt { get; set; }
}

public sealed class RevokedGrantEntity
{
    public string GrantId { get; set; } = "";
    public long RevokedAt { get; set; }
}

public sealed class UserEntity
{
    public string Id { get; set; } = "";
    public string Username { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public string? Name { get; set; }
    public string? Email { get; set; }
    public bool Disabled { get; set; }
    public long CreatedAt { get; set; }
}

public sealed class ConsentEntity
{
    public string UserId { get; set; } = "";
    public string ClientId { get; set; } = "";
    /// <summary>Space-separated, sorted.</summary>
    public string Scopes { get; set; } = "";
}

/// <summary>A signing key; the private JWK is protected with Data Protection before it is stored.</summary>
public sealed class SigningKeyEntity
{
    public string KeyId { get; set; } = "";
    public string Algorithm { get; set; } = "";
    public string ProtectedJwk { get; set; } = "";
    public long CreatedAt { get; set; }
    /// <summary><c>next</c>, <c>current</c>, <c>previous</c> or <c>retired</c> (see <c>SigningKeyStatus</c>).</summary>
    public string Status { get; set; } = "current";
    /// <summary>When the status last changed; other nodes reload their keys when the table's maximum moves.</summary>
    public long ChangedAt { get; set; }
    /// <summary>For a previous key: when the last token it signed has expired, so it can be retired.</summary>
    public long? RetireAt { get; set; }
}

/// <summary>One admin change (DESIGN §6: audit in one place, the admin API).</summary>
public sealed class AuditEntity
{
    public long Id { get; set; }
    public long At { get; set; }
    public string Actor { get; set; } = "";
    public string Action { get; set; } = "";
    public string Target { get; set; } = "";
    public string? Before { get; set; }
    public string? After { get; set; }
}

/// <summary>An initial access token for dynamic registration (RFC 7591 §3): only the SHA-256 of its value is stored.</summary>
public sealed class RegistrationTokenEntity
{
    public string Id { get; set; } = "";
    public string Hash { get; set; } = "";
    public long CreatedAt { get; set; }
    public long? ExpiresAt { get; set; }
    /// <summary>Null: any number of registrations.</summary>
    public int? MaxUses { get; set; }
    public int Uses { get; set; }
}

/// <summary>
/// A spent one-time identifier (a client assertion's <c>jti</c>): the key is a SHA-256 of client id and jti, unique, so the
/// second insert of the same one fails; the row lives until the assertion would have expired anyway.
/// </summary>
public sealed class UsedJtiEntity
{
    public string Key { get; set; } = "";
    public long ExpiresAt { get; set; }
}
