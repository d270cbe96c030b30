using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Parapet.Protocol.Clients;

namespace Parapet.Http;

/// <summary>A client as JSON for registration and admin answers (RFC 7591 §3.2.1): its metadata, and the secret only when just issued.</summary>
internal static class ClientJson
{
    private static readonly JsonSerializerOptions Options = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static JsonObject Of(Client client, string? issuedSecret = null)
    {
        var json = JsonSerializer.SerializeToNode(ClientMetadata.From(client), Options)!.AsObject();
        json["client_id_issued_at"] = client.CreatedAt.ToUnixTimeSeconds();
        if (issuedSecret is not null)
        {
            json["client_secret"] = issuedSecret;
            json["client_secret_expires_at"] = 0;
        }
        return json;
    }
}
