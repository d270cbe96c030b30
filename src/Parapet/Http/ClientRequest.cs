using Parapet.Protocol.Clients;
using Parapet.Protocol.Clients.Authentication;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Requests;

namespace Parapet.Http;

/// <summary>A back-channel request from an authenticated client: its form parameters and who it is.</summary>
internal sealed record ClientRequest(RequestParameters Parameters, Client Client)
{
    /// <summary>Reads the form and authenticates the client the one way shared by <c>/par</c> and <c>/token</c> (RFC 9126 §2).</summary>
    public static async Task<Checked<ClientRequest>> ReadAsync(HttpContext http, ClientAuthentication authentication, ServerProperties properties)
    {
        var form = await FormReader.ReadFormAsync(http);
        if (form.Failed)
        {
            return form.Error!;
        }
        var credentials = PresentedCredentials.From(http.Request.Headers.Authorization, form.Value!,
            http.RequestServices.GetRequiredService<ClientCertificates>().Find(http));
        var client = await authentication.AuthenticateAsync(credentials, properties, http.RequestAborted);
        return client.Failed ? client.Error! : new ClientRequest(form.Value!, client.Value!);
    }
}
