namespace Parapet.Protocol.Clients;

/// <summary>The scopes this server knows.</summary>
public static class ScopeCatalog
{
    public const string OpenId = "openid";
    public const string Profile = "profile";
    public const string Email = "email";
    public const string OfflineAccess = "offline_access";
    /// <summary>Grants the admin API; only for clients the operator creates, never through dynamic registration.</summary>
    public const string Admin = "parapet.admin";

    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal) { OpenId, Profile, Email, OfflineAccess, Admin };
    public static readonly IReadOnlyList<string> DefaultForClients = [OpenId, Profile, Email, OfflineAccess];

    public static string[] Split(string? scope) =>
        string.IsNullOrWhiteSpace(scope) ? [] : scope.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
