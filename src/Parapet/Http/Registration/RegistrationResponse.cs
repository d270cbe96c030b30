using System.Text.Json.Nodes;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Properties;

namespace Parapet.Http.Registration;

/// <summary>
/// A client as registration answers it (RFC 7591 §3.2.1, RFC 7592 §3): its metadata, the client configuration URI, and
/// the secret and registration access token only when they were just issued (the server keeps only their hashes).
/// </summary>
internal static class RegistrationResponse
{
    public static JsonObject Of(Client client, ServerProperties properties, string? issuedSecret = null, string? registrationAccessToken = null)
    {
        var json = ClientJson.Of(client, issuedSecret);
        if (registrationAccessToken is not null)
        {
            json["registration_access_token"] = registrationAccessToken;
        }
        json["registration_client_uri"] = ClientUri(properties, client.ClientId);
        return json;
    }

    /// <summary>RFC 7592 §1: where the client reads, updates and deletes its registration.</summary>
    public static string ClientUri(ServerProperties properties, string clientId) =>
        properties.Issuer.TrimEnd('/') + "/register/" + Uri.EscapeDataString(clientId);
}
