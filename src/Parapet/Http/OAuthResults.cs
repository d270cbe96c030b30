using System.Text.Json.Serialization;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;

namespace Parapet.Http;

/// <summary>The one writer of OAuth error responses (RFC 6749 §5.2): JSON body, status, extra headers, no caching.</summary>
internal static class OAuthResults
{
    public sealed record ErrorBody(
        [property: JsonPropertyName("error")] string Error,
        [property: JsonPropertyName("error_description")] string Description,
        [property: JsonPropertyName("reason")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason);

    public static IResult Error(HttpContext http, OAuthError error, ServerProperties? properties = null)
    {
        if (error.Headers is not null)
        {
            foreach (var (name, value) in error.Headers)
            {
                http.Response.Headers[name] = value;
            }
        }
        if (error.LogDetail is not null)
        {
            // The client hears the public words; the operator reads why (never a secret: details name claims and ids only).
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Parapet.OAuth")
                .LogInformation("{Path}: {Error} — {Detail}", http.Request.Path.Value, error.Code, error.LogDetail);
        }
        http.Response.Headers.CacheControl = "no-store";
        // Janssen's errorReasonEnabled adds a 'reason' member; it carries the same public words, never the log detail.
        var reason = properties?.ErrorReasonEnabled == true ? error.Description : null;
        return TypedResults.Json(new ErrorBody(error.Code, error.Description, reason), statusCode: error.Status);
    }

    public static IResult NoStoreJson<T>(HttpContext http, T body, int status = 200)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Pragma = "no-cache";
        return TypedResults.Json(body, statusCode: status);
    }
}
