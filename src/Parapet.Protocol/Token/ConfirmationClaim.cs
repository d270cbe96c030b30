using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Parapet.Protocol.Token;

/// <summary>
/// Reads the <c>cnf</c> claim (RFC 7800 §3.1) of an access token this server issued: <c>jkt</c> for DPoP (RFC 9449 §6.1),
/// <c>x5t#S256</c> for mTLS (RFC 8705 §3.1). Read from the payload JSON so every member is kept as issued.
/// </summary>
public static class ConfirmationClaim
{
    public static JsonObject? Read(JsonWebToken token)
    {
        // The claim as the token already parsed it, so the payload is not decoded again for each reader.
        return token.TryGetPayloadValue<JsonElement>("cnf", out var cnf) && cnf.ValueKind == JsonValueKind.Object ? JsonObject.Create(cnf) : null;
    }

    /// <summary>The DPoP key thumbprint the token is bound to, or null when it is not DPoP-bound.</summary>
    public static string? Jkt(JsonWebToken token) =>
        Read(token)?["jkt"] is JsonValue v && v.TryGetValue<string>(out var jkt) ? jkt : null;
}
