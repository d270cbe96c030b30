using Parapet.Http.Admin;
using Parapet.Protocol;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;

namespace Parapet.Http.Registration;

/// <summary>
/// <c>POST /register</c> (RFC 7591): open only while <c>dynamicRegistrationEnabled</c> is on and the <c>registration</c> flag is enabled.
/// The same metadata validation as the admin API; the admin scope can never be registered here. The answer carries the
/// RFC 7592 registration access token and client configuration URI.
/// </summary>
internal static class RegistrationEndpoint
{
    public static void MapRegistration(this IEndpointRouteBuilder app)
    {
        app.MapPost("/register", HandleAsync);
        app.MapClientConfiguration();
    }

    private static async Task<IResult> HandleAsync(
        HttpContext http, IPropertySource source, IClientStore clients, IRegistrationTokenStore initialTokens, TimeProvider time, AdminAudit audit, ISecretVault vault)
    {
        var properties = source.Current.Properties;
        var now = time.GetUtcNow();
        if (!RegistrationRequest.IsOpen(properties))
        {
            return OAuthResults.Error(http, OAuthErrors.RegistrationDisabled(), properties);
        }
        var initial = await InitialAccess.CheckAsync(http, properties, initialTokens, now);
        if (initial.Failed)
        {
            return OAuthResults.Error(http, initial.Error!, properties);
        }
        var metadata = await RegistrationRequest.ReadAsync(http, properties, now);
        if (metadata.Failed)
        {
            return OAuthResults.Error(http, metadata.Error!, properties);
        }
        // The server assigns the id and the secret (RFC 7591 §3.2.1); disabled and trusted (no consent) are the operator's to set.
        var validated = ClientMetadataValidator.Validate(
            metadata.Value! with { ClientId = null, ClientSecret = null, Disabled = null, Trusted = null }, null, allowAdminScope: false, now, vault,
            properties.FapiCompatibility);
        if (validated.Failed)
        {
            return OAuthResults.Error(http, validated.Error!, properties);
        }
        var (client, secret) = validated.Value!;
        var accessToken = ClientSecrets.Generate();
        client = client with { RegistrationAccessTokenHash = ClientSecrets.Hash(accessToken) };
        // The use is taken only now, so a rejected body costs none; one conditional UPDATE decides between racing registrations.
        if (initial.Value is { } token && !await initialTokens.UseAsync(token.Id, now, http.RequestAborted))
        {
            return OAuthResults.Error(http, OAuthErrors.InitialAccessTokenInvalid(), properties);
        }
        if (!await clients.AddAsync(client, http.RequestAborted))
        {
            return OAuthResults.Error(http, OAuthErrors.RegistrationFailed(), properties);
        }
        var registered = RegistrationResponse.Of(client, properties, secret, accessToken);
        await audit.RecordAsync(InitialAccess.ActorOf(initial.Value), "client.register", client.ClientId, null, registered, http.RequestAborted);
        return OAuthResults.NoStoreJson(http, registered, StatusCodes.Status201Created);
    }
}
