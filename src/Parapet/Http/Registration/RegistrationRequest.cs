using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;

namespace Parapet.Http.Registration;

/// <summary>
/// The body of a registration or an update (RFC 7591 §2, RFC 7592 §2.2): a JSON object of client metadata, with a verified
/// software statement's claims laid over it (RFC 7591 §2.3).
/// </summary>
internal static class RegistrationRequest
{
    public static async Task<Checked<ClientMetadata>> ReadAsync(HttpContext http, ServerProperties properties, DateTimeOffset now)
    {
        JsonObject? body;
        try
        {
            body = await http.Request.ReadFromJsonAsync<JsonObject>(http.RequestAborted);
            // A JsonObject reads its members lazily; read them here, where a member sent twice (ArgumentException) is the body's fault.
            _ = body?.Count;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            return OAuthErrors.RegistrationBodyInvalid();
        }
        if (body is null)
        {
            return OAuthErrors.RegistrationBodyInvalid();
        }
        var applied = await SoftwareStatement.ApplyAsync(body, properties, now);
        if (applied.Failed)
        {
            return applied.Error!;
        }
        var options = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        try
        {
            return applied.Value!.Deserialize<ClientMetadata>(options) is { } metadata ? metadata : OAuthErrors.RegistrationBodyInvalid();
        }
        catch (JsonException)
        {
            return OAuthErrors.RegistrationBodyInvalid();
        }
    }

    /// <summary>The credential of <c>Authorization: Bearer …</c>, or null when there is none.</summary>
    public static string? BearerToken(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header[7..].Trim() is { Length: > 0 } token ? token : null;
    }

    /// <summary>Registration is open only while <c>dynamicRegistrationEnabled</c> is on and the <c>registration</c> flag is enabled.</summary>
    public static bool IsOpen(ServerProperties properties) =>
        properties.IsEnabled(FeatureFlagCatalog.Registration) && properties.DynamicRegistrationEnabled;
}
