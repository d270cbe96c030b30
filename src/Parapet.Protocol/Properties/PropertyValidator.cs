using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;

namespace Parapet.Protocol.Properties;

/// <summary>Range, URL and list checks over a whole properties document.</summary>
public static class PropertyValidator
{
    public static Checked<ServerProperties> Validate(ServerProperties p)
    {
        var error = CheckUrl("issuer", p.Issuer, required: true)
            ?? CheckUrl("authorizationEndpoint", p.AuthorizationEndpoint)
            ?? CheckUrl("tokenEndpoint", p.TokenEndpoint)
            ?? CheckUrl("userInfoEndpoint", p.UserInfoEndpoint)
            ?? CheckUrl("jwksUri", p.JwksUri)
            ?? CheckUrl("registrationEndpoint", p.RegistrationEndpoint)
            ?? CheckUrl("parEndpoint", p.ParEndpoint)
            ?? CheckUrl("introspectionEndpoint", p.IntrospectionEndpoint)
            ?? CheckUrl("revocationEndpoint", p.RevocationEndpoint)
            ?? CheckUrl("endSessionEndpoint", p.EndSessionEndpoint)
            ?? CheckUrl("mtlsAuthorizationEndpoint", p.MtlsAuthorizationEndpoint)
            ?? CheckUrl("mtlsTokenEndpoint", p.MtlsTokenEndpoint)
            ?? CheckUrl("mtlsUserInfoEndpoint", p.MtlsUserInfoEndpoint)
            ?? CheckUrl("mtlsJwksUri", p.MtlsJwksUri)
            ?? CheckUrl("mtlsRegistrationEndpoint", p.MtlsRegistrationEndpoint)
            ?? CheckUrl("mtlsParEndpoint", p.MtlsParEndpoint)
            ?? CheckUrl("mtlsIntrospectionEndpoint", p.MtlsIntrospectionEndpoint)
            ?? CheckUrl("mtlsTokenRevocationEndpoint", p.MtlsTokenRevocationEndpoint)
            ?? CheckRange("defaultParLifetime", p.DefaultParLifetime, 5, 3600)
            ?? CheckRange("parRateLimitPerMinute", p.ParRateLimitPerMinute, 0, 10_000_000)
            ?? CheckRange("configurationUpdateInterval", p.ConfigurationUpdateInterval, 1, 3600)
            ?? CheckRange("cleanServiceInterval", p.CleanServiceInterval, 1, 86400)
            ?? CheckRange("cleanServiceBatchChunkSize", p.CleanServiceBatchChunkSize, 1, 1_000_000)
            ?? CheckRange("authorizationCodeLifetime", p.AuthorizationCodeLifetime, 1, 600)
            ?? CheckRange("accessTokenLifetime", p.AccessTokenLifetime, 1, 86400)
            ?? CheckRange("refreshTokenLifetime", p.RefreshTokenLifetime, 1, 31_536_000)
            ?? CheckRange("sessionIdLifetime", p.SessionIdLifetime, 60, 31_536_000)
            ?? CheckFapiCodeLifetime(p)
            ?? CheckKeyRotationInterval(p.KeyRotationInterval)
            ?? CheckRange("dpopTimeframe", p.DpopTimeframe, 1, 3600)
            ?? CheckRange("dpopJtiCacheTime", p.DpopJtiCacheTime, 1, 86400)
            ?? CheckRange("dpopNonceCacheTime", p.DpopNonceCacheTime, 10, 86400)
            ?? CheckDpopAlgorithms(p.DpopSigningAlgValuesSupported)
            ?? CheckFlags(p.FeatureFlags)
            ?? CheckSoftwareStatements(p);
        if (error is not null)
        {
            return error;
        }
        return p with { FeatureFlags = p.FeatureFlags.Select(f => f.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToArray() };
    }

    private static OAuthError? CheckUrl(string name, string? value, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return required ? PropertyDocument.Invalid($"Property '{name}' is required.") : null;
        }
        var ok = Uri.TryCreate(value, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.Query);
        return ok ? null : PropertyDocument.Invalid($"Property '{name}' must be an absolute http(s) URL without query or fragment.");
    }

    private static OAuthError? CheckRange(string name, int value, int min, int max) =>
        value < min || value > max ? PropertyDocument.Invalid($"Property '{name}' must be between {min} and {max}.") : null;

    /// <summary>FAPI 2.0 §5.3.2.2: codes live at most 60 seconds, so the server's switch and a longer lifetime contradict each other.</summary>
    private static OAuthError? CheckFapiCodeLifetime(ServerProperties p) =>
        p.FapiCompatibility && p.AuthorizationCodeLifetime > Fapi.FapiProfile.MaxCodeLifetime
            ? PropertyDocument.Invalid($"Property 'authorizationCodeLifetime' must be at most {Fapi.FapiProfile.MaxCodeLifetime} while 'fapiCompatibility' is on (FAPI 2.0 §5.3.2.2).")
            : null;

    /// <summary>0 is off; anything shorter than a minute would churn keys faster than verifiers refresh their JWKS caches.</summary>
    private static OAuthError? CheckKeyRotationInterval(int value) =>
        value is 0 or (>= 60 and <= 31_536_000) ? null : PropertyDocument.Invalid("Property 'keyRotationInterval' must be 0 (off) or between 60 and 31536000.");

    /// <summary>RFC 9449 §4.2: a proof's alg is asymmetric, never <c>none</c> or a MAC; at least one must remain.</summary>
    private static OAuthError? CheckDpopAlgorithms(IReadOnlyList<string>? algs)
    {
        if (algs is null || algs.Count == 0)
        {
            return PropertyDocument.Invalid("Property 'dpopSigningAlgValuesSupported' must list at least one algorithm.");
        }
        var bad = algs.FirstOrDefault(a => !Dpop.DpopAlgorithms.Asymmetric.Contains(a));
        return bad is null ? null
            : PropertyDocument.Invalid($"Property 'dpopSigningAlgValuesSupported' contains '{bad}'; allowed: {string.Join(", ", Dpop.DpopAlgorithms.Asymmetric)}.");
    }

    private static OAuthError? CheckFlags(IReadOnlyList<string>? flags)
    {
        if (flags is null || flags.Count == 0)
        {
            return PropertyDocument.Invalid("Property 'featureFlags' must list the enabled features explicitly; an empty list is refused (in Janssen it silently meant \"all\").");
        }
        var unknown = flags.FirstOrDefault(f => !FeatureFlagCatalog.Known.Contains(f.ToLowerInvariant()));
        return unknown is null ? null : PropertyDocument.Invalid($"Property 'featureFlags' contains the unknown flag '{unknown}'.");
    }

    private static OAuthError? CheckSoftwareStatements(ServerProperties p)
    {
        if (p.RegistrationSoftwareStatementPolicy is not (SoftwareStatementPolicies.Refuse or SoftwareStatementPolicies.Verify))
        {
            return PropertyDocument.Invalid("Property 'registrationSoftwareStatementPolicy' must be 'refuse' or 'verify'.");
        }
        if (!string.IsNullOrWhiteSpace(p.RegistrationSoftwareStatementJwks) && SoftwareStatement.TrustedKeys(p.RegistrationSoftwareStatementJwks) is null)
        {
            return PropertyDocument.Invalid("Property 'registrationSoftwareStatementJwks' must be a JSON Web Key Set with at least one public key.");
        }
        return null;
    }
}
