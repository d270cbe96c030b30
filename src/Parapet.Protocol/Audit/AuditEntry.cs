namespace Parapet.Protocol.Audit;

/// <summary>
/// One administrative change: when, who (admin client id, or <c>registration</c>), what (action and target: a property
/// path, a client id, a username), and the value before and after, with secrets masked.
/// </summary>
public sealed record AuditEntry(DateTimeOffset At, string Actor, string Action, string Target, string? Before, string? After)
{
    public long Id { get; init; }

    /// <summary>What stands in for a secret value in the trail.</summary>
    public const string Masked = "***";
}

/// <summary>What to list from the trail.</summary>
public sealed record AuditQuery(string? Actor = null, string? Target = null, string? Action = null, DateTimeOffset? Since = null, int Limit = 100);
