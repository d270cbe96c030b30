using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Storage;

namespace Parapet.Http.Admin;

/// <summary>
/// <c>/admin/v1/registration-tokens</c>: initial access tokens for <c>POST /register</c> (RFC 7591 §3). The value is shown
/// once, when it is made; the server keeps its SHA-256, and lists and revokes tokens by id.
/// </summary>
internal static class RegistrationTokenEndpoints
{
    public const int MaxExpiresIn = 31_536_000;
    public const int MaxUses = 1_000_000;

    private sealed record CreateRequest(
        [property: JsonPropertyName("expires_in")] int? ExpiresIn,
        [property: JsonPropertyName("max_uses")] int? MaxUses);

    public static void MapRegistrationTokens(this RouteGroupBuilder admin)
    {
        admin.MapPost("/registration-tokens", CreateAsync);
        admin.MapGet("/registration-tokens", async (IRegistrationTokenStore store, CancellationToken ct) =>
            Results.Json((await store.ListAsync(ct)).Select(t => Describe(t))));
        admin.MapDelete("/registration-tokens/{id}", async (string id, HttpContext http, IRegistrationTokenStore store, AdminAudit audit) =>
        {
            if (!await store.RevokeAsync(id, http.RequestAborted))
            {
                return AdminProblems.NotFound($"No initial access token '{id}'.");
            }
            await audit.RecordAsync(http, "registration-token.revoke", id, null, null);
            return Results.NoContent();
        });
    }

    private static async Task<IResult> CreateAsync(HttpContext http, IRegistrationTokenStore store, TimeProvider time, AdminAudit audit)
    {
        CreateRequest? request = new(null, null);
        // No body at all means the defaults: no expiry, any number of uses.
        if (http.Request.ContentLength > 0 || http.Request.Headers.ContentType.Count > 0)
        {
            try
            {
                request = await http.Request.ReadFromJsonAsync<CreateRequest>(http.RequestAborted);
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                return AdminProblems.BadRequest("The body must be a JSON object with optional integers 'expires_in' and 'max_uses'.");
            }
        }
        if (request?.ExpiresIn is < 1 or > MaxExpiresIn)
        {
            return AdminProblems.BadRequest($"expires_in must be between 1 and {MaxExpiresIn} seconds (absent: the token does not expire).");
        }
        if (request?.MaxUses is < 1 or > MaxUses)
        {
            return AdminProblems.BadRequest($"max_uses must be between 1 and {MaxUses} (absent: any number of registrations).");
        }
        var (token, value) = InitialAccessToken.Create(time.GetUtcNow(), request?.ExpiresIn, request?.MaxUses);
        await store.AddAsync(token, http.RequestAborted);
        var described = Describe(token);
        await audit.RecordAsync(http, "registration-token.create", token.Id, null, described);
        var created = (JsonObject)described.DeepClone();
        created["token"] = value;
        return Results.Json(created, statusCode: StatusCodes.Status201Created);
    }

    private static JsonObject Describe(InitialAccessToken t) => new()
    {
        ["id"] = t.Id,
        ["created_at"] = t.CreatedAt,
        ["expires_at"] = t.ExpiresAt,
        ["max_uses"] = t.MaxUses,
        ["uses"] = t.Uses,
    };
}
