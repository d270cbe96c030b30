using System.Text.Json.Nodes;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Clients.Authentication;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;

namespace Parapet.Http;

/// <summary>
/// <c>POST /introspect</c> (RFC 7662), behind the <c>introspection</c> flag: feature on → authenticate the client as at
/// <c>/token</c> → find the active token → the client's own (or any, for an admin client) → its claims; else <c>active:false</c>.
/// </summary>
internal static class IntrospectionEndpoint
{
    public static void MapIntrospection(this IEndpointRouteBuilder app)
    {
        app.MapPost("/introspect", HandleAsync)
            .WithSummary("Token introspection (RFC 7662)")
            .AcceptsFormInOpenApi<OpenApiDocument.TokenHintForm>()
            .Produces<JsonObject>()
            .Produces<OAuthResults.ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<OAuthResults.ErrorBody>(StatusCodes.Status401Unauthorized)
            .Produces<OAuthResults.ErrorBody>(StatusCodes.Status403Forbidden);
        app.MapMethods("/introspect", [HttpMethods.Get, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch],
            (HttpContext http) => OAuthResults.Error(http, OAuthErrors.MethodNotAllowed(HttpMethods.Post))).ExcludeFromDescription();
    }

    private static async Task<IResult> HandleAsync(HttpContext http, IPropertySource source, ClientAuthentication authentication, PresentedTokens tokens)
    {
        var properties = source.Current.Properties;
        if (!properties.IsEnabled(FeatureFlagCatalog.Introspection))
        {
            return OAuthResults.Error(http, OAuthErrors.FeatureDisabled(FeatureFlagCatalog.Introspection), properties);
        }
        var request = await ClientRequest.ReadAsync(http, authentication, properties);
        if (request.Failed)
        {
            return OAuthResults.Error(http, request.Error!, properties);
        }
        var (parameters, client) = request.Value!;
        if (client.IsPublic)
        {
            return OAuthResults.Error(http, OAuthErrors.PublicClientCannotIntrospect(), properties);
        }
        if (parameters["token"] is not { } value)
        {
            return OAuthResults.Error(http, OAuthErrors.MissingParameter("token"), properties);
        }
        var token = await tokens.FindActiveAsync(value, properties, http.RequestAborted);
        // RFC 7662 §2.2: a token the caller may not see is answered exactly like an unknown one, so nothing leaks about it.
        if (token is null || (token.ClientId != client.ClientId && !client.Scopes.Contains(ScopeCatalog.Admin)))
        {
            return OAuthResults.NoStoreJson(http, new JsonObject { ["active"] = false });
        }
        var body = new JsonObject
        {
            ["active"] = true,
            ["client_id"] = token.ClientId,
            ["sub"] = token.Subject,
            ["token_type"] = token.TokenType,
            ["exp"] = token.ExpiresAt.ToUnixTimeSeconds(),
            ["iss"] = properties.Issuer,
        };
        if (token.Scope is not null)
        {
            body["scope"] = token.Scope;
        }
        if (token.IssuedAt is { } issuedAt)
        {
            body["iat"] = issuedAt.ToUnixTimeSeconds();
        }
        if (token.Confirmation is { } cnf)
        {
            // RFC 9449 §6.2, RFC 8705 §3.2: the whole binding, so a resource server can check the key or the certificate.
            body["cnf"] = cnf.DeepClone();
        }
        return OAuthResults.NoStoreJson(http, body);
    }
}
