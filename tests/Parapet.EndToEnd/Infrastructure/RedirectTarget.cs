using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Parapet.EndToEnd.Infrastructure;

/// <summary>
/// The client's redirect URI: a tiny HTTP listener on <c>127.0.0.1:&lt;free port&gt;/cb</c> that records every query it
/// receives and shows a page, so the browser really lands there.
/// </summary>
public sealed class RedirectTarget : IDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentQueue<string> _queries = new();

    public string RedirectUri { get; }

    public RedirectTarget()
    {
        // A free port can be taken by another process between the probe and the bind: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePorts.Next();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                _listener = listener;
                RedirectUri = $"http://127.0.0.1:{port}/cb";
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
        _ = Task.Run(ServeAsync);
    }

    /// <summary>The raw query strings received at /cb, in order.</summary>
    public IReadOnlyCollection<string> Queries => _queries.ToArray();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var query = context.Request.Url?.Query ?? "";
            if (context.Request.Url?.AbsolutePath == "/cb")
            {
                _queries.Enqueue(query);
            }
            var html = $"<!doctype html><title>Client callback</title><h1>Back at the client</h1><pre id=\"query\">{WebUtility.HtmlEncode(query)}</pre>";
            var bytes = Encoding.UTF8.GetBytes(html);
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    /// <remarks>
    /// Close alone: the managed HttpListener unregisters its port on Stop and again on Close, and the second time it binds the
    /// port anew to look it up, which fails with "Address already in use" once another process (a server node of the same
    /// test class) has taken the freed port (seen in CI as a class clean-up failure).
    /// </remarks>
    public void Dispose() => _listener.Close();
}
