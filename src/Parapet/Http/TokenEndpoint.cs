using Parapet.Protocol.Clients.Authentication;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Fapi;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Token;

namespace Parapet.Http;

/// <summary><c>POST /token</c> (RFC 6749 §3.2): read form → authenticate the client → the grant decides → tokens, never cached.</summary>
internal static class TokenEndpoint
{
    public static void MapToken(this IEndpointRouteBuilder app)
    {
        app.MapPost("/token", HandleAsync)
            .WithSummary("Exchange a grant for tokens (RFC 6749 §3.2)")
            .AcceptsFormInOpenApi<OpenApiDocument.TokenForm>()
            .Produces<Protocol.Token.TokenResponse>()
            .Produces<OAuthResults.ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<OAuthResults.ErrorBody>(StatusCodes.Status401Unauthorized);
        app.MapMethods("/token", [HttpMethods.Get, HttpMethods.Put, HttpMethods.Delete, HttpMethods.Patch],
            (HttpContext http) => OAuthResults.Error(http, OAuthErrors.MethodNotAllowed(HttpMethods.Post))).ExcludeFromDescription();
    }

    private static async Task<IResult> HandleAsync(HttpContext http, IPropertySource source, ClientAuthentication authentication, TokenService tokens, DpopProofs dpop,
        ClientCertificates certificates)
    {
        var properties = source.Current.Properties;
        var request = await ClientRequest.ReadAsync(http, authentication, properties);
        if (request.Failed)
        {
            return OAuthResults.Error(http, request.Error!, properties);
        }
        // RFC 8705 §3: the certificate of the connection, when the client's tokens are to be bound to it.
        var certificate = CertificateBinding.ForTokenRequest(http, certificates, request.Value!.Client);
        if (certificate.Failed)
        {
            return OAuthResults.Error(http, certificate.Error!, properties);
        }
        // RFC 9449 §5: a valid proof binds what is issued to its key.
        // FAPI 2.0 §5.4.1: a FAPI client's proofs are PS256 or ES256.
        var proof = await dpop.ReadAsync(http, DpopProofs.TokenUrls, FapiProfile.ForDpopProofsOf(request.Value!.Client, properties));
        if (proof.Failed)
        {
            return OAuthResults.Error(http, proof.Error!, properties);
        }
        var binding = new SenderProof(proof.Value?.Jkt, certificate.Value);
        var issued = await tokens.ExchangeAsync(request.Value.Parameters, request.Value.Client, binding, properties, http.RequestAborted);
        return issued.Failed ? OAuthResults.Error(http, issued.Error!, properties) : OAuthResults.NoStoreJson(http, issued.Value!);
    }
}
