using System.Text.Json;
using Parapet.Protocol;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;

namespace Parapet.Http.Admin;

/// <summary><c>/admin/v1/clients</c>: CRUD and secret rotation. Validation is the same as dynamic registration's.</summary>
internal static class ClientEndpoints
{
    public static void MapClients(this RouteGroupBuilder admin)
    {
        admin.MapGet("/clients", async (IClientStore clients, CancellationToken ct) =>
            Results.Json((await clients.ListAsync(ct)).Select(c => ClientJson.Of(c))));
        admin.MapGet("/clients/{clientId}", async (string clientId, IClientStore clients, CancellationToken ct) =>
            await clients.FindAsync(clientId, ct) is { } c ? Results.Json(ClientJson.Of(c)) : NotFound(clientId));
        admin.MapPost("/clients", CreateAsync);
        admin.MapPut("/clients/{clientId}", UpdateAsync);
        admin.MapPatch("/clients/{clientId}", UpdateAsync);
        admin.MapDelete("/clients/{clientId}", DeleteAsync);
        admin.MapPost("/clients/{clientId}/secret", RotateSecretAsync);
    }

    private static async Task<IResult> DeleteAsync(string clientId, HttpContext http, IClientStore clients, AdminAudit audit)
    {
        if (clientId == Hosting.AdminCredentials.ClientIdValue)
        {
            return AdminProblems.BadRequest("The admin client cannot be deleted.");
        }
        var existing = await clients.FindAsync(clientId, http.RequestAborted);
        if (existing is null || !await clients.DeleteAsync(clientId, http.RequestAborted))
        {
            return NotFound(clientId);
        }
        await audit.RecordAsync(http, "client.delete", clientId, ClientJson.Of(existing), null);
        return Results.NoContent();
    }

    private static async Task<IResult> CreateAsync(HttpContext http, IClientStore clients, TimeProvider time, AdminAudit audit, ISecretVault vault, IPropertySource source)
    {
        var metadata = await ReadAsync(http);
        if (metadata is null)
        {
            return AdminProblems.BadRequest("The body must be a JSON object of client metadata.");
        }
        var validated = ClientMetadataValidator.Validate(metadata, null, allowAdminScope: true, time.GetUtcNow(), vault, source.Current.Properties.FapiCompatibility);
        if (validated.Failed)
        {
            return AdminProblems.Problem(400, validated.Error!.Description, validated.Error.Code);
        }
        var (client, secret) = validated.Value!;
        if (!await clients.AddAsync(client, http.RequestAborted))
        {
            return AdminProblems.Conflict($"A client with id '{client.ClientId}' already exists.");
        }
        var created = ClientJson.Of(client, secret);
        await audit.RecordAsync(http, "client.create", client.ClientId, null, created);
        return Results.Json(created, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> UpdateAsync(string clientId, HttpContext http, IClientStore clients, TimeProvider time, AdminAudit audit, ISecretVault vault)
    {
        var existing = await clients.FindAsync(clientId, http.RequestAborted);
        if (existing is null)
        {
            return NotFound(clientId);
        }
        var metadata = await ReadAsync(http);
        if (metadata is null)
        {
            return AdminProblems.BadRequest("The body must be a JSON object of client metadata.");
        }
        if (metadata.ClientId is not null && metadata.ClientId != clientId)
        {
            return AdminProblems.BadRequest("client_id cannot be changed.");
        }
        var validated = ClientMetadataValidator.Validate(metadata, existing, allowAdminScope: true, time.GetUtcNow(), vault);
        if (validated.Failed)
        {
            return AdminProblems.Problem(400, validated.Error!.Description, validated.Error.Code);
        }
        var client = validated.Value!.Client;
        if (!await clients.UpdateAsync(client, existing.Version, http.RequestAborted))
        {
            return AdminProblems.Conflict($"Client '{clientId}' was changed by someone else; read it again and retry.");
        }
        var updated = ClientJson.Of(client, validated.Value.IssuedSecret);
        await audit.RecordAsync(http, "client.update", clientId, ClientJson.Of(existing), updated);
        return Results.Json(updated);
    }

    private static async Task<IResult> RotateSecretAsync(string clientId, HttpContext http, IClientStore clients, AdminAudit audit, ISecretVault vault)
    {
        var existing = await clients.FindAsync(clientId, http.RequestAborted);
        if (existing is null)
        {
            return NotFound(clientId);
        }
        if (existing.IsPublic)
        {
            return AdminProblems.BadRequest("A public client (token_endpoint_auth_method 'none') has no secret.");
        }
        var secret = ClientSecrets.Generate();
        var client = existing with
        {
            SecretHash = ClientSecrets.Hash(secret),
            // client_secret_jwt needs the secret itself to check HMACs (DESIGN §2.4).
            ProtectedSecret = existing.TokenEndpointAuthMethod == ClientAuthMethods.ClientSecretJwt ? vault.Protect(secret) : null,
            Version = existing.Version + 1,
        };
        if (!await clients.UpdateAsync(client, existing.Version, http.RequestAborted))
        {
            return AdminProblems.Conflict($"Client '{clientId}' was changed by someone else; retry.");
        }
        if (clientId == Hosting.AdminCredentials.ClientIdValue)
        {
            // Keep the CLI working on this machine: it reads the credentials file.
            var dataDir = http.RequestServices.GetRequiredService<Hosting.ServerOptions>().DataDir;
            var current = Hosting.AdminCredentials.Read(dataDir);
            if (current is not null)
            {
                (current with { ClientSecret = secret }).Write(dataDir);
            }
        }
        await audit.RecordAsync(http, "client.rotate-secret", clientId, null, new System.Text.Json.Nodes.JsonObject { ["client_secret"] = secret });
        return Results.Json(ClientJson.Of(client, secret));
    }

    private static async Task<ClientMetadata?> ReadAsync(HttpContext http)
    {
        try
        {
            return await http.Request.ReadFromJsonAsync<ClientMetadata>(http.RequestAborted);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static IResult NotFound(string clientId) => AdminProblems.NotFound($"No client '{clientId}'.");
}
