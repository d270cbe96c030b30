using Parapet.Protocol.Clients.Authentication;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Token;

namespace Parapet.Http;

/// <summary><c>POST /token</c> (RFC 6749 §3.2): read form → authenticate the client → the grant decides → tokens, never cached.</summary>
internal static class TokenEndpoint
{
    public static void MapToken(this IEndpointRouteBuilder app)
    {
        app.MapPost("/token", HandleAsync);
        app.MapMethods("/token", [HttpMethods.Get, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch],
            (HttpContext http) => OAuthResults.Error(http, OAuthErrors.MethodNotAllowed(HttpMethods.Post)));
    }

    private static async Task<IResult> HandleAsync(HttpContext http, IPropertySource source, ClientAuthentication authentication, TokenService tokens)
    {
        var properties = source.Current.Properties;
        var form = await FormReader.ReadFormAsync(http);
        if (form.Failed)
        {
            return OAuthResults.Error(http, form.Error!, properties);
        }
        var client = await authentication.AuthenticateAsync(PresentedCredentials.From(http.Request.Headers.Authorization, form.Value!), http.RequestAborted);
        if (client.Failed)
        {
            return OAuthResults.Error(http, client.Error!, properties);
        }
        var issued = await tokens.ExchangeAsync(form.Value!, client.Value!, properties, http.RequestAborted);
        return issued.Failed ? OAuthResults.Error(http, issued.Error!, properties) : OAuthResults.NoStoreJson(http, issued.Value!);
    }
}
