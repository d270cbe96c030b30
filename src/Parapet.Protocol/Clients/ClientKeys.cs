using System.Text.Json;
using Parapet.Protocol.Errors;

namespace Parapet.Protocol.Clients;

/// <summary>The client's keys as registered: <c>jwks</c> by value or <c>jwks_uri</c> by reference (RFC 7591 §2), checked and kept as text.</summary>
public static class ClientKeys
{
    /// <summary>JWK members that only a private or symmetric key has (RFC 7518 §6); a client registers public keys only.</summary>
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    /// <summary>
    /// The pair to store. When the metadata names either member, the pair is the metadata's alone, so an update can switch
    /// from one to the other; otherwise the stored pair is kept.
    /// </summary>
    public static Checked<(string? Jwks, string? JwksUri)> Check(ClientMetadata metadata, Client? existing)
    {
        var jwks = metadata.Jwks is { ValueKind: not JsonValueKind.Null } j ? j : (JsonElement?)null;
        if (jwks is null && metadata.JwksUri is null)
        {
            return (existing?.Jwks, existing?.JwksUri);
        }
        // RFC 7591 §2: "The jwks_uri and jwks parameters MUST NOT both be present in the same request or response."
        if (jwks is not null && metadata.JwksUri is not null)
        {
            return OAuthErrors.ClientMetadata("jwks and jwks_uri must not both be present (RFC 7591 §2).");
        }
        if (metadata.JwksUri is { } uri)
        {
            var ok = Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttps && string.IsNullOrEmpty(parsed.Fragment);
            return ok ? (null, uri) : OAuthErrors.ClientMetadata("jwks_uri must be an absolute https URL without a fragment.");
        }
        var problem = Describe(jwks!.Value);
        return problem is null ? (jwks.Value.GetRawText(), null) : OAuthErrors.ClientMetadata(problem);
    }

    private static string? Describe(JsonElement jwks)
    {
        if (jwks.ValueKind != JsonValueKind.Object || !jwks.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array || keys.GetArrayLength() == 0)
        {
            return "jwks must be a JSON Web Key Set: an object whose 'keys' member is a non-empty array (RFC 7517 §5).";
        }
        foreach (var key in keys.EnumerateArray())
        {
            if (key.ValueKind != JsonValueKind.Object || !key.TryGetProperty("kty", out var kty) || kty.ValueKind != JsonValueKind.String)
            {
                return "Every key in jwks must be a JSON object with a 'kty' member (RFC 7517 §4).";
            }
            if (PrivateMembers.Any(m => key.TryGetProperty(m, out _)))
            {
                return "jwks must contain public keys only; never send a private or symmetric key.";
            }
        }
        return null;
    }
}
