using System.Text.Json.Serialization;

namespace Parapet.Protocol.Token;

/// <summary>RFC 6749 §5.1 token response.</summary>
public sealed record TokenResponse
{
    [JsonPropertyName("access_token")] public required string AccessToken { get; init; }
    [JsonPropertyName("token_type")] public string TokenType { get; init; } = "Bearer";
    [JsonPropertyName("expires_in")] public int ExpiresIn { get; init; }
    [JsonPropertyName("scope")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Scope { get; init; }
    [JsonPropertyName("id_token")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? IdToken { get; init; }
    [JsonPropertyName("refresh_token")] [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? RefreshToken { get; init; }
}
