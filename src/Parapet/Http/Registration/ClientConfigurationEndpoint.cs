using Parapet.Http.Admin;
using Parapet.Protocol;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;

namespace Parapet.Http.Registration;

/// <summary>
/// RFC 7592's client configuration endpoint, <c>/register/{client_id}</c>: a dynamically registered client reads (GET),
/// replaces (PUT) or deletes (DELETE) its registration with its registration access token. Clients without one (the admin
/// client, clients created through the admin API) are not managed here.
/// </summary>
internal static class ClientConfigurationEndpoint
{
    public static void MapClientConfiguration(this IEndpointRouteBuilder app)
    {
        app.MapGet("/register/{clientId}", ReadAsync);
        app.MapPut("/register/{clientId}", UpdateAsync);
        app.MapDelete("/register/{clientId}", DeleteAsync);
    }

    /// <summary>
    /// RFC 7592 §2.1. The answer must carry a registration access token (§3), and only hashes are kept, so every use issues
    /// a new one and the old one stops working (as Janssen's rotateClientRegistrationAccessTokenOnUsage, always on).
    /// The client secret cannot be shown again.
    /// </summary>
    private static async Task<IResult> ReadAsync(string clientId, HttpContext http, IPropertySource source, IClientStore clients, AdminAudit audit)
    {
        var properties = source.Current.Properties;
        var client = await AuthorizeAsync(http, properties, clients, clientId);
        if (client.Failed)
        {
            return OAuthResults.Error(http, client.Error!, properties);
        }
        var (rotated, token) = WithNewAccessToken(client.Value!);
        if (!await clients.UpdateAsync(rotated, client.Value!.Version, http.RequestAborted))
        {
            return OAuthResults.Error(http, OAuthErrors.RegistrationChangedConcurrently(), properties);
        }
        await audit.RecordAsync(AdminAudit.RegistrationActor, "client.read", clientId, null, null, http.RequestAborted);
        return OAuthResults.NoStoreJson(http, RegistrationResponse.Of(rotated, properties, registrationAccessToken: token));
    }

    private static (Client Client, string Token) WithNewAccessToken(Client client)
    {
        var token = ClientSecrets.Generate();
        return (client with { RegistrationAccessTokenHash = ClientSecrets.Hash(token), Version = client.Version + 1 }, token);
    }

    /// <summary>RFC 7592 §2.2: the body replaces every metadata value, through the same validation as a registration.</summary>
    private static async Task<IResult> UpdateAsync(
        string clientId, HttpContext http, IPropertySource source, IClientStore clients, TimeProvider time, AdminAudit audit, ISecretVault vault)
    {
        var properties = source.Current.Properties;
        var now = time.GetUtcNow();
        var existing = await AuthorizeAsync(http, properties, clients, clientId);
        if (existing.Failed)
        {
            return OAuthResults.Error(http, existing.Error!, properties);
        }
        var current = existing.Value!;
        var metadata = await RegistrationRequest.ReadAsync(http, properties, now);
        if (metadata.Failed)
        {
            return OAuthResults.Error(http, metadata.Error!, properties);
        }
        // RFC 7592 §2.2: "The client MUST include its client_id field in the request, and it MUST be the same as its currently issued client identifier."
        if (metadata.Value!.ClientId != current.ClientId)
        {
            return OAuthResults.Error(http, OAuthErrors.RegistrationClientIdMismatch(), properties);
        }
        // RFC 7592 §2.2: a client_secret, if sent, must match; the client cannot choose a new one here.
        if (metadata.Value.ClientSecret is { } secret && !ClientSecrets.Matches(current.SecretHash, secret))
        {
            return OAuthResults.Error(http, OAuthErrors.RegistrationSecretMismatch(), properties);
        }
        var replaced = ClientMetadataValidator.Replace(metadata.Value, current, now, vault, properties.FapiCompatibility);
        if (replaced.Failed)
        {
            return OAuthResults.Error(http, replaced.Error!, properties);
        }
        var (replacedClient, issuedSecret) = replaced.Value!;
        var (client, token) = WithNewAccessToken(replacedClient with { RegistrationAccessTokenHash = current.RegistrationAccessTokenHash });
        if (!await clients.UpdateAsync(client, current.Version, http.RequestAborted))
        {
            return OAuthResults.Error(http, OAuthErrors.RegistrationChangedConcurrently(), properties);
        }
        var updated = RegistrationResponse.Of(client, properties, issuedSecret, token);
        await audit.RecordAsync(AdminAudit.RegistrationActor, "client.update", clientId, RegistrationResponse.Of(current, properties), updated, http.RequestAborted);
        return OAuthResults.NoStoreJson(http, updated);
    }

    /// <summary>RFC 7592 §2.3: 204, after which the client id, secret and registration access token are all invalid.</summary>
    private static async Task<IResult> DeleteAsync(string clientId, HttpContext http, IPropertySource source, IClientStore clients, AdminAudit audit)
    {
        var properties = source.Current.Properties;
        var existing = await AuthorizeAsync(http, properties, clients, clientId);
        if (existing.Failed)
        {
            return OAuthResults.Error(http, existing.Error!, properties);
        }
        if (!await clients.DeleteAsync(clientId, http.RequestAborted))
        {
            return OAuthResults.Error(http, OAuthErrors.RegistrationAccessTokenInvalid(), properties);
        }
        await audit.RecordAsync(AdminAudit.RegistrationActor, "client.delete", clientId, RegistrationResponse.Of(existing.Value!, properties), null, http.RequestAborted);
        http.Response.Headers.CacheControl = "no-store";
        return Results.NoContent();
    }

    /// <summary>
    /// Registration open, then the registration access token of exactly this client, compared in constant time. An unknown
    /// client, one without a token, and a wrong token all get the same 401 (RFC 7592 §2.1), so the answer reveals nothing.
    /// </summary>
    private static async Task<Checked<Client>> AuthorizeAsync(HttpContext http, ServerProperties properties, IClientStore clients, string clientId)
    {
        if (!RegistrationRequest.IsOpen(properties))
        {
            return OAuthErrors.RegistrationDisabled();
        }
        var presented = RegistrationRequest.BearerToken(http);
        if (presented is null || clientId == Hosting.AdminCredentials.ClientIdValue)
        {
            return OAuthErrors.RegistrationAccessTokenInvalid();
        }
        var client = await clients.FindAsync(clientId, http.RequestAborted);
        if (client is null || !ClientSecrets.Matches(client.RegistrationAccessTokenHash, presented))
        {
            return OAuthErrors.RegistrationAccessTokenInvalid();
        }
        return client;
    }
}
