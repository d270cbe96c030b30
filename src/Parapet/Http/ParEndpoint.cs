using Parapet.Protocol.Clients.Authentication;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Fapi;
using Parapet.Protocol.Par;
using Parapet.Protocol.Properties;

namespace Parapet.Http;

/// <summary>
/// <c>POST /par</c> (RFC 9126 §2), as its ordered steps: rate limit → feature flag → read form → authenticate the client as at
/// <c>/token</c> → validate as <c>/authorize</c> would and store → 201 with no caching.
/// </summary>
internal static class ParEndpoint
{
    public static void MapPar(this IEndpointRouteBuilder app)
    {
        app.MapPost("/par", HandleAsync)
            .WithSummary("Push an authorization request (RFC 9126)")
            .WithDescription("Authenticate the client as at /token; answers 201 with request_uri and expires_in.")
            .AcceptsFormInOpenApi<OpenApiDocument.PushedAuthorizationForm>()
            .Produces<ParResponse>(StatusCodes.Status201Created)
            .Produces<OAuthResults.ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<OAuthResults.ErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<OAuthResults.ErrorBody>(StatusCodes.Status403Forbidden)
            .Produces<OAuthResults.ErrorBody>(StatusCodes.Status413PayloadTooLarge)
            .Produces<OAuthResults.ErrorBody>(StatusCodes.Status429TooManyRequests);
        app.MapMethods("/par", [HttpMethods.Get, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch, HttpMethods.Head, HttpMethods.Options],
            (HttpContext http) => OAuthResults.Error(http, OAuthErrors.MethodNotAllowed(HttpMethods.Post))).ExcludeFromDescription();
    }

    private static async Task<IResult> HandleAsync(HttpContext http, IPropertySource source, ParRateLimiting rateLimiting, ClientAuthentication authentication, PushService push, DpopProofs dpop)
    {
        var properties = source.Current.Properties;
        if (rateLimiting.Check(http, properties) is { } tooMany)
        {
            return OAuthResults.Error(http, tooMany, properties);
        }
        if (!properties.IsEnabled(FeatureFlagCatalog.Par))
        {
            return OAuthResults.Error(http, OAuthErrors.ParDisabled(), properties);
        }
        var request = await ClientRequest.ReadAsync(http, authentication, properties);
        if (request.Failed)
        {
            return OAuthResults.Error(http, request.Error!, properties);
        }
        // RFC 9449 §10.1: a proof at /par binds the eventual code to its key.
        // FAPI 2.0 §5.4.1: a FAPI client's proofs are PS256 or ES256.
        var proof = await dpop.ReadAsync(http, DpopProofs.ParUrls, FapiProfile.ForDpopProofsOf(request.Value!.Client, properties));
        if (proof.Failed)
        {
            return OAuthResults.Error(http, proof.Error!, properties);
        }
        var pushed = await push.PushAsync(request.Value!.Parameters, request.Value.Client, properties, http.RequestAborted, proof.Value?.Jkt);
        if (pushed.Failed)
        {
            return OAuthResults.Error(http, pushed.Error! with { Status = pushed.Error!.Status is 401 or 403 ? pushed.Error.Status : 400 }, properties);
        }
        http.Response.Headers.CacheControl = "no-cache, no-store";
        return TypedResults.Json(new ParResponse(pushed.Value!.RequestUri, pushed.Value.ExpiresIn), statusCode: StatusCodes.Status201Created);
    }

    internal sealed record ParResponse(
        [property: System.Text.Json.Serialization.JsonPropertyName("request_uri")] string RequestUri,
        [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn);
}
