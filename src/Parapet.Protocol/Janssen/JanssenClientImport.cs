using System.Text.Json.Nodes;
using Parapet.Protocol.Clients;

namespace Parapet.Protocol.Janssen;

/// <summary>A Janssen client mapped to Parapet metadata, with what could not be carried over.</summary>
public sealed record ClientImport(ClientMetadata Metadata, IReadOnlyList<ImportNote> Ignored);

/// <summary>
/// Maps a Janssen client as jans-config-api returns it (<c>inum</c>, <c>redirectUris</c>, <c>attributes.parLifetime</c>,
/// <c>attributes.requirePar</c>, <c>trustedClient</c>, …) to RFC 7591 metadata. The result goes through the same
/// <see cref="ClientMetadataValidator"/> as every other client.
/// </summary>
public static class JanssenClientImport
{
    private static readonly HashSet<string> Mapped =
    [
        "inum", "clientId", "displayName", "clientName", "clientSecret", "redirectUris", "postLogoutRedirectUris", "tokenEndpointAuthMethod", "grantTypes",
        "responseTypes", "applicationType", "trustedClient", "disabled", "attributes", "jwksUri", "jwks",
    ];

    /// <summary>Janssen's client attributes Parapet carries over; tlsClientAuthSubjectDn is RFC 8705's tls_client_auth_subject_dn.</summary>
    private static readonly HashSet<string> MappedAttributes = ["parLifetime", "requirePar", "tlsClientAuthSubjectDn"];

    public static ClientImport Map(JsonObject janssen)
    {
        var ignored = new List<ImportNote>();
        var attributes = janssen["attributes"] as JsonObject;
        int? parLifetime = attributes?["parLifetime"] is JsonValue pl && pl.TryGetValue<int>(out var seconds) ? seconds : null;
        bool? requirePar = attributes?["requirePar"] is JsonValue rp && rp.TryGetValue<bool>(out var required) ? required : null;
        var scopes = Strings(janssen["scopes"]);
        if (scopes.Count > 0)
        {
            // Janssen lists scopes as LDAP DNs of its scope entries; Parapet's client scopes are names.
            ignored.Add(new ImportNote("scopes", "Janssen scope DNs are not carried over; the client gets Parapet's default scopes"));
        }
        foreach (var (name, _) in janssen.Where(p => !Mapped.Contains(p.Key) && p.Key != "scopes"))
        {
            ignored.Add(new ImportNote(name, "not a client setting Parapet implements"));
        }
        foreach (var (name, _) in attributes?.Where(p => !MappedAttributes.Contains(p.Key)) ?? [])
        {
            ignored.Add(new ImportNote($"attributes.{name}", "not a client setting Parapet implements"));
        }
        var metadata = new ClientMetadata
        {
            ClientId = Text(janssen["inum"]) ?? Text(janssen["clientId"]),
            ClientName = Text(janssen["displayName"]) ?? Text(janssen["clientName"]),
            ClientSecret = Text(janssen["clientSecret"]),
            RedirectUris = Strings(janssen["redirectUris"]),
            PostLogoutRedirectUris = janssen["postLogoutRedirectUris"] is null ? null : Strings(janssen["postLogoutRedirectUris"]),
            TokenEndpointAuthMethod = Text(janssen["tokenEndpointAuthMethod"]),
            GrantTypes = janssen["grantTypes"] is null ? null : Strings(janssen["grantTypes"]),
            ResponseTypes = janssen["responseTypes"] is null ? null : Strings(janssen["responseTypes"]),
            ApplicationType = Text(janssen["applicationType"]),
            ParLifetime = parLifetime,
            RequirePar = requirePar,
            Trusted = janssen["trustedClient"] is JsonValue t && t.TryGetValue<bool>(out var trusted) ? trusted : null,
            Disabled = janssen["disabled"] is JsonValue d && d.TryGetValue<bool>(out var disabled) ? disabled : null,
            JwksUri = Text(janssen["jwksUri"]),
            Jwks = Jwks(janssen["jwks"]),
            TlsClientAuthSubjectDn = Text(attributes?["tlsClientAuthSubjectDn"]),
        };
        return new ClientImport(metadata, ignored);
    }

    /// <summary>Janssen keeps jwks as a JSON string; a string that is not JSON is passed on as such, for the validator to refuse.</summary>
    private static System.Text.Json.JsonElement? Jwks(JsonNode? node)
    {
        var text = node is JsonObject o ? o.ToJsonString() : Text(node);
        if (text is null)
        {
            return null;
        }
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return System.Text.Json.JsonSerializer.SerializeToElement(text);
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static List<string> Strings(JsonNode? node) =>
        (node as JsonArray)?.Select(Text).OfType<string>().ToList() ?? [];
}
