using Parapet.Protocol.Errors;
using Parapet.Protocol.Requests;

namespace Parapet.Protocol.Authorization;

/// <summary>The parameters sent back to the client's redirect URI (RFC 6749 §4.1.2, RFC 9207 <c>iss</c>).</summary>
public sealed record AuthorizationResponse(string RedirectUri, string ResponseMode, IReadOnlyList<KeyValuePair<string, string>> Parameters)
{
    public static AuthorizationResponse Success(AuthorizationRequest request, string code, string issuer) =>
        Build(request, issuer, [new("code", code)]);

    public static AuthorizationResponse Failure(AuthorizationRequest request, OAuthError error, string issuer) =>
        Build(request, issuer, [new("error", error.Code), new("error_description", error.Description)]);

    private static AuthorizationResponse Build(AuthorizationRequest request, string issuer, List<KeyValuePair<string, string>> parameters)
    {
        if (request.State is not null)
        {
            parameters.Add(new("state", request.State));
        }
        parameters.Add(new("iss", issuer));
        return new AuthorizationResponse(request.RedirectUri!, request.ResponseMode ?? "query", parameters);
    }

    /// <summary>The redirect URI with the parameters added to its query (keeping a registered query, RFC 6749 §3.1.2).</summary>
    public string ToQueryUrl()
    {
        var query = string.Join('&', Parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        return RedirectUri + (RedirectUri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
    }
}
