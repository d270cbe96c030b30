using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Serialization;

// The floor for POST /par: the same host as Parapet (slim builder, same body limit, same logging filters), a form read,
// the same parameter presence checks and a 201 JSON answer with Cache-Control — and nothing else: no client lookup,
// no secret check beyond reading the header, no storage. What Parapet costs above this is Parapet's own work.
var urls = args.Length > 0 ? args[0] : "http://127.0.0.1:18081";
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
builder.WebHost.UseUrls(urls);
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 64 * 1024);
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
var app = builder.Build();

string[] required = ["response_type", "redirect_uri", "scope", "state", "nonce", "code_challenge", "code_challenge_method"];

app.MapPost("/par", async (HttpContext http) =>
{
    if (!http.Request.HasFormContentType)
    {
        return Results.BadRequest();
    }
    var authorization = http.Request.Headers.Authorization.ToString();
    if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
    {
        return Results.Unauthorized();
    }
    var form = await http.Request.ReadFormAsync(http.RequestAborted);
    foreach (var name in required)
    {
        if (form[name].Count != 1 || string.IsNullOrEmpty(form[name][0]))
        {
            return Results.BadRequest();
        }
    }
    http.Response.Headers.CacheControl = "no-cache, no-store";
    var reference = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
    return TypedResults.Json(new ParResponse("urn:ietf:params:oauth:request_uri:" + reference, 60), statusCode: StatusCodes.Status201Created);
});
app.MapGet("/health", () => Results.Json(new { status = "ok" }));
app.Run();

internal sealed record ParResponse(
    [property: JsonPropertyName("request_uri")] string RequestUri,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);
