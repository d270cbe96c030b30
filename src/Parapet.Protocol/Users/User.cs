namespace Parapet.Protocol.Users;

/// <summary>An end user. The password hash is ASP.NET Core Identity's format, made and checked by the host.</summary>
public sealed record User
{
    public required string Id { get; init; }
    public required string Username { get; init; }
    public required string PasswordHash { get; init; }
    public string? Name { get; init; }
    public string? Email { get; init; }
    public bool Disabled { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
