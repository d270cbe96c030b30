using System.Text.Json;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;

namespace Parapet.Http;

/// <summary>
/// <c>POST /register</c> (RFC 7591): open only while <c>dynamicRegistrationEnabled</c> is on and the <c>registration</c> flag is enabled.
/// The same metadata validation as the admin API; the admin scope can never be registered here.
/// </summary>
internal static class RegistrationEndpoint
{
    public static void MapRegistration(this IEndpointRouteBuilder app) => app.MapPost("/register", HandleAsync);

    private static async Task<IResult> HandleAsync(HttpContext http, IPropertySource source, IClientStore clients, TimeProvider time, Admin.AdminAudit audit)
    {
        var properties = source.Current.Properties;
        if (!properties.IsEnabled(FeatureFlagCatalog.Registration) || !properties.DynamicRegistrationEnabled)
        {
            return OAuthResults.Error(http, OAuthErrors.RegistrationDisabled(), properties);
        }
        ClientMetadata? metadata;
        try
        {
            metadata = await http.Request.ReadFromJsonAsync<ClientMetadata>(http.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return OAuthResults.Error(http, OAuthErrors.ClientMetadata("The body must be a JSON object of client metadata (RFC 7591 §2)."), properties);
        }
        if (metadata is null)
        {
            return OAuthResults.Error(http, OAuthErrors.ClientMetadata("The body must be a JSON object of client metadata (RFC 7591 §2)."), properties);
        }
        // The server assigns the id and the secret (RFC 7591 §3.2.1).
        var validated = ClientMetadataValidator.Validate(metadata with { ClientId = null, ClientSecret = null, Disabled = null }, null, allowAdminScope: false, time.GetUtcNow());
        if (validated.Failed)
        {
            return OAuthResults.Error(http, validated.Error!, properties);
        }
        var (client, secret) = validated.Value!;
        if (!await clients.AddAsync(client, http.RequestAborted))
        {
            return OAuthResults.Error(http, OAuthErrors.ClientMetadata("The client could not be registered; try again."), properties);
        }
        var registered = ClientJson.Of(client, secret);
        await audit.RecordAsync(Admin.AdminAudit.RegistrationActor, "client.register", client.ClientId, null, registered, http.RequestAborted);
        return OAuthResults.NoStoreJson(http, registered, StatusCodes.Status201Created);
    }
}

