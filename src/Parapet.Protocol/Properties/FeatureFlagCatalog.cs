namespace Parapet.Protocol.Properties;

/// <summary>Janssen's feature flag values, and the subset Parapet implements.</summary>
public static class FeatureFlagCatalog
{
    public const string Par = "par";
    public const string Registration = "registration";
    public const string UserInfo = "userinfo";
    public const string HealthCheck = "health_check";
    public const string Introspection = "introspection";
    public const string RevokeToken = "revoke_token";
    public const string EndSession = "end_session";

    /// <summary>Flags that switch something in Parapet.</summary>
    public static readonly IReadOnlyList<string> Implemented = [EndSession, HealthCheck, Introspection, Par, Registration, RevokeToken, UserInfo];

    /// <summary>
    /// Janssen's <c>FeatureFlagType</c> values. Accepted so an exported configuration imports as is;
    /// the ones Parapet does not implement are reported as having no effect.
    /// </summary>
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        HealthCheck, UserInfo, "clientinfo", "id_generation", Registration, Introspection, RevokeToken,
        "revoke_session", "global_token_revocation", "status_list", "active_session", EndSession,
        "status_session", "jans_configuration", "ciba", "uma", "u2f", "device_authz", "metric", "stat",
        Par, "ssa", "access_evaluation", "authzen", "lock_server", "logout_status_jwt", "rate_limit", "client_id_metadata_document",
    };

    public static bool IsImplemented(string flag) => Implemented.Contains(flag);
}
