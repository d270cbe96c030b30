using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Parapet.Protocol.Errors;
using Parapet.Server.Tests.Infrastructure;

namespace Parapet.Server.Tests.Flow;

/// <summary>
/// DESIGN §2.8: a body that never reaches its Content-Length is the client's error: 400 invalid_request, and no "unhandled
/// exception" in the log. Only Kestrel reads real framing, so plain HTTP on loopback and a socket that stops sending half-way
/// and waits (Kestrel gives up on the body after its minimum data rate's 5 s grace; a client that closes instead is the same
/// exception, but then no answer can reach it).
/// </summary>
public sealed class TruncatedBodyTests
{
    [Theory]
    [InlineData("/par", "application/x-www-form-urlencoded", "response_type=code&client_id=app", "400 ")]
    [InlineData("/token", "application/x-www-form-urlencoded", "grant_type=authorization_code&code=x", "400 ")]
    // A JSON body read outside FormReader: the server-wide handler answers with Kestrel's status (408: the body came too slowly).
    [InlineData("/admin/v1/clients", "application/json", "{\"client_id\":\"half", "408 ")]
    public async Task A_body_that_stops_short_of_its_content_length_is_invalid_request(string path, string contentType, string body, string status)
    {
        await using var server = await ParapetTestServer.StartOnKestrelAsync(o => o with { Urls = $"http://127.0.0.1:{FreePorts.Next()}", MtlsUrls = null, TlsSelfSigned = false });
        await server.CreateClientAsync("app");
        using var admin = await server.CreateAdminClientAsync();
        var authorization = path.StartsWith("/admin/", StringComparison.Ordinal)
            ? admin.DefaultRequestHeaders.Authorization!.ToString()
            : ParapetTestServer.Basic("app", ParapetTestServer.ClientSecret).ToString();
        var head = $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {authorization}\r\n" +
            $"Content-Type: {contentType}\r\nContent-Length: {body.Length + 100}\r\n\r\n";

        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.Kestrel!.BaseAddress.Host, server.Kestrel.BaseAddress.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(head + body));
        var response = await ReadToEndAsync(socket);

        Assert.StartsWith("HTTP/1.1 " + status, response, StringComparison.Ordinal);
        Assert.Contains("\"error\":\"invalid_request\"", response, StringComparison.Ordinal);
        Assert.Contains(OAuthErrors.BodyIncomplete().Description, System.Text.RegularExpressions.Regex.Unescape(response), StringComparison.Ordinal);
        Assert.DoesNotContain(server.Logs.GetSnapshot(), r => r.Level >= LogLevel.Error);
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            received.Write(buffer, 0, read);
        }
        return Encoding.UTF8.GetString(received.ToArray());
    }
}
