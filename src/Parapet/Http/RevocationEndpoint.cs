using Parapet.Protocol.Clients.Authentication;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;

namespace Parapet.Http;

/// <summary>
/// <c>POST /revoke</c> (RFC 7009), behind the <c>revoke_token</c> flag: feature on → authenticate the client as at
/// <c>/token</c> → find the active token → when it is the client's own, revoke its whole grant → 200 in every case.
/// </summary>
internal static class RevocationEndpoint
{
    public static void MapRevocation(this IEndpointRouteBuilder app)
    {
        app.MapPost("/revoke", HandleAsync)
            .WithSummary("Token revocation (RFC 7009)")
            .AcceptsFormInOpenApi<OpenApiDocument.TokenHintForm>()
            .Produces(StatusCodes.Status200OK)
            .Produces<OAuthResults.ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<OAuthResults.ErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<OAuthResults.ErrorBody>(StatusCodes.Status403Forbidden);
        app.MapMethods("/revoke", [HttpMethods.Get, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch],
            (HttpContext http) => OAuthResults.Error(http, OAuthErrors.MethodNotAllowed(HttpMethods.Post))).ExcludeFromDescription();
    }

    private static async Task<IResult> HandleAsync(HttpContext http, IPropertySource source, ClientAuthentication authentication,
        PresentedTokens tokens, ITokenStore store, TimeProvider time)
    {
        var properties = source.Current.Properties;
        if (!properties.IsEnabled(FeatureFlagCatalog.RevokeToken))
        {
            return OAuthResults.Error(http, OAuthErrors.FeatureDisabled(FeatureFlagCatalog.RevokeToken), properties);
        }
        var request = await ClientRequest.ReadAsync(http, authentication, properties);
        if (request.Failed)
        {
            return OAuthResults.Error(http, request.Error!, properties);
        }
        var (parameters, client) = request.Value!;
        if (parameters["token"] is not { } value)
        {
            return OAuthResults.Error(http, OAuthErrors.MissingParameter("token"), properties);
        }
        var token = await tokens.FindActiveAsync(value, properties, http.RequestAborted);
        // RFC 7009 §2.1: only the client the token was issued to may revoke it. Revoking the grant ends the whole family:
        // the refresh tokens and the access tokens issued with them (§2.1 "SHOULD also invalidate"), checked through 'gid'.
        if (token is not null && token.ClientId == client.ClientId)
        {
            await store.RevokeGrantAsync(token.GrantId, time.GetUtcNow(), http.RequestAborted);
        }
        // RFC 7009 §2.2: unknown, invalid or foreign tokens are answered 200 too; the client has nothing left to do.
        http.Response.Headers.CacheControl = "no-store";
        return Results.Ok();
    }
}
