using System.Text.Json.Serialization;

namespace Parapet.Protocol.Requests;

/// <summary>An authorization request's parameters (RFC 6749 §4.1.1, OIDC Core §3.1.2.1, RFC 7636), as stored for a pushed request.</summary>
public sealed record AuthorizationRequest
{
    [JsonPropertyName("client_id")] public required string ClientId { get; init; }
    [JsonPropertyName("response_type")] public string? ResponseType { get; init; }
    [JsonPropertyName("redirect_uri")] public string? RedirectUri { get; init; }
    [JsonPropertyName("scope")] public string? Scope { get; init; }
    [JsonPropertyName("state")] public string? State { get; init; }
    [JsonPropertyName("nonce")] public string? Nonce { get; init; }
    [JsonPropertyName("code_challenge")] public string? CodeChallenge { get; init; }
    [JsonPropertyName("code_challenge_method")] public string? CodeChallengeMethod { get; init; }
    [JsonPropertyName("response_mode")] public string? ResponseMode { get; init; }
    [JsonPropertyName("prompt")] public string? Prompt { get; init; }
    [JsonPropertyName("max_age")] public string? MaxAge { get; init; }
    [JsonPropertyName("claims")] public string? Claims { get; init; }
    [JsonPropertyName("login_hint")] public string? LoginHint { get; init; }
    [JsonPropertyName("ui_locales")] public string? UiLocales { get; init; }
    [JsonPropertyName("acr_values")] public string? AcrValues { get; init; }
    [JsonPropertyName("display")] public string? Display { get; init; }
    /// <summary>RFC 9449 §10: the thumbprint of the DPoP key the code will be bound to (from the parameter or the proof at <c>/par</c>).</summary>
    [JsonPropertyName("dpop_jkt")] public string? DpopJkt { get; init; }

    [JsonIgnore] public string[] Scopes => Clients.ScopeCatalog.Split(Scope);
    [JsonIgnore] public string[] Prompts => Clients.ScopeCatalog.Split(Prompt);
    [JsonIgnore] public int? MaxAgeSeconds => int.TryParse(MaxAge, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;

    public static AuthorizationRequest From(RequestParameters p, string clientId) => new()
    {
        ClientId = clientId,
        ResponseType = p["response_type"],
        RedirectUri = p["redirect_uri"],
        Scope = p["scope"],
        State = p["state"],
        Nonce = p["nonce"],
        CodeChallenge = p["code_challenge"],
        CodeChallengeMethod = p["code_challenge_method"],
        ResponseMode = p["response_mode"],
        Prompt = p["prompt"],
        MaxAge = p["max_age"],
        Claims = p["claims"],
        LoginHint = p["login_hint"],
        UiLocales = p["ui_locales"],
        AcrValues = p["acr_values"],
        Display = p["display"],
        DpopJkt = p["dpop_jkt"],
    };
}
