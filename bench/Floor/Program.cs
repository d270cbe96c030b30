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
// The floor of the rest of the flow (bench/Flow and the claim load): GET /authorize answers like Parapet's, a 302 to the
// login page without a session cookie and a 302 to the redirect URI with a code with one, and sets a browser cookie on
// first sight; POST /token reads the form and the Basic header and answers a bearer token. No storage, so no state echo,
// no PKCE check, no signing: the framework's cost of the same three round trips.
app.MapGet("/authorize", (HttpContext http, string? client_id, string? request_uri) =>
{
    if (string.IsNullOrEmpty(client_id) || string.IsNullOrEmpty(request_uri))
    {
        return Results.BadRequest();
    }
    if (!http.Request.Cookies.ContainsKey("parapet.browser"))
    {
        http.Response.Cookies.Append("parapet.browser", Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)),
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Path = "/", IsEssential = true });
    }
    var resume = "/authorize?client_id=" + Uri.EscapeDataString(client_id) + "&request_uri=" + Uri.EscapeDataString(request_uri);
    if (!http.Request.Cookies.ContainsKey("parapet.session"))
    {
        return Results.Redirect("/login?return_url=" + Uri.EscapeDataString(resume));
    }
    http.Response.Headers.CacheControl = "no-store";
    var code = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
    return Results.Redirect("https://client.example.org/cb?code=" + code + "&iss=" + Uri.EscapeDataString("http://" + http.Request.Host));
});
string[] tokenRequired = ["grant_type", "code", "redirect_uri", "code_verifier"];
app.MapPost("/token", async (HttpContext http) =>
{
    if (!http.Request.HasFormContentType || !http.Request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
    {
        return Results.BadRequest();
    }
    var form = await http.Request.ReadFormAsync(http.RequestAborted);
    foreach (var name in tokenRequired)
    {
        if (form[name].Count != 1 || string.IsNullOrEmpty(form[name][0]))
        {
            return Results.BadRequest();
        }
    }
    http.Response.Headers.CacheControl = "no-store";
    return TypedResults.Json(new TokenResponse(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)), "Bearer", 3600, "openid profile"));
});
app.MapGet("/health", () => Results.Json(new { status = "ok" }));
app.Run();

internal sealed record ParResponse(
    [property: JsonPropertyName("request_uri")] string RequestUri,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);

internal sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("scope")] string Scope);
