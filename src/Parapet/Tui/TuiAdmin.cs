using System.Text.Json.Nodes;
using Parapet.Cli;
using Terminal.Gui.App;
using Terminal.Gui.Views;

namespace Parapet.Tui;

/// <summary>
/// The TUI's side of the admin API. A call made from a key press runs to completion before the UI goes on (one request on
/// loopback takes milliseconds, and nothing can be pressed twice meanwhile); a refusal shows the server's own message
/// (problem <c>detail</c>) in a dialog and yields null. Polling runs in the background instead.
/// </summary>
internal sealed class TuiAdmin(AdminClient admin, IApplication app)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);

    public IApplication App => app;

    public string Server => admin.Server;

    public AdminResponse? Get(string path) => Call(ct => admin.GetAsync(path, ct));

    public AdminResponse? Send(HttpMethod method, string path, JsonNode? body = null, string? ifMatch = null, string contentType = "application/json") =>
        Call(ct => body is null
            ? admin.SendAsync(method, path, null, ct, ifMatch)
            : admin.SendJsonAsync(method, path, body, ct, contentType, ifMatch));

    /// <summary>A GET off the UI thread, for polling; null when it failed (the next poll tries again).</summary>
    public async Task<AdminResponse?> GetInBackgroundAsync(string path)
    {
        using var cts = new CancellationTokenSource(CallTimeout);
        try
        {
            return await Task.Run(() => admin.GetAsync(path, cts.Token), cts.Token);
        }
        catch (Exception e) when (e is CliError or OperationCanceledException or HttpRequestException)
        {
            return null;
        }
    }

    public void ShowError(string message) => MessageBox.ErrorQuery(app, "The server refused", message, "_OK");

    private AdminResponse? Call(Func<CancellationToken, Task<AdminResponse>> call)
    {
        using var cts = new CancellationTokenSource(CallTimeout);
        try
        {
            // Off the UI thread: the main loop's synchronization context must not be the one the call resumes on.
            return Task.Run(() => call(cts.Token), cts.Token).GetAwaiter().GetResult();
        }
        catch (CliError e)
        {
            ShowError(e.Message);
        }
        catch (OperationCanceledException)
        {
            ShowError($"{admin.Server} did not answer within {CallTimeout.TotalSeconds:0} seconds.");
        }
        return null;
    }
}
