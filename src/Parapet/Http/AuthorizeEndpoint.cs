using Microsoft.AspNetCore.Antiforgery;
using Parapet.Http.Pages;
using Parapet.Protocol.Authorization;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Requests;
using Parapet.Protocol.Storage;

namespace Parapet.Http;

/// <summary>
/// <c>/authorize</c> (GET and POST) and the consent form. Steps: resolve the request held by this browser (claim a pushed one,
/// or validate and park a plain one) → sign-in if needed → consent if needed → consume and answer with a code.
/// Failures before the redirect URI is trusted go to the error page, never to a redirect (RFC 9126 §4, RFC 6749 §4.1.2.1).
/// </summary>
internal static class AuthorizeEndpoint
{
    public static void MapAuthorize(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/authorize", [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).DisableAntiforgery()
            .WithSummary("Authorization endpoint: client_id and request_uri from /par, or a plain request (RFC 6749 §4.1.1, RFC 9126 §4)");
        app.MapPost("/consent", ConsentAsync).DisableAntiforgery();
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext http, IPropertySource source, AuthorizeService authorize, AuthorizationFlow flow)
    {
        var properties = source.Current.Properties;
        var parameters = await FormReader.ReadAsync(http);
        if (parameters.Failed)
        {
            return ErrorPage(http, parameters.Error!);
        }
        var browser = BrowserCookies.BrowserKey(http);
        var (held, failure) = await authorize.ResolveAsync(parameters.Value!, browser, properties, http.RequestAborted);
        if (failure is not null)
        {
            return failure.RedirectTo is null
                ? ErrorPage(http, failure.Error)
                : flow.Respond(http, AuthorizationResponse.Failure(failure.RedirectTo, failure.Error, properties.Issuer));
        }
        if (held!.Parked)
        {
            // A plain request now lives server-side; the browser continues with its reference like a pushed one.
            return Results.Redirect(ResumeUrl(held));
        }
        return await flow.ContinueAsync(http, held, browser, properties);
    }

    private static async Task<IResult> ConsentAsync(HttpContext http, IPropertySource source, AuthorizeService authorize, AuthorizationFlow flow, IAntiforgery antiforgery, IUserStore users)
    {
        var properties = source.Current.Properties;
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return ErrorPage(http, OAuthErrors.Request("The form expired or was not sent by this site; start again."));
        }
        var form = await FormReader.ReadFormAsync(http);
        if (form.Failed)
        {
            return ErrorPage(http, form.Error!);
        }
        var p = form.Value!;
        var front = RequestParameters.From(
        [
            new("client_id", [p["client_id"]]),
            new("request_uri", [p["request_uri"] ?? ""]),
        ]);
        var browser = BrowserCookies.BrowserKey(http);
        var (held, failure) = await authorize.ResolveAsync(front.Value!, browser, properties, http.RequestAborted);
        if (failure is not null || p["request_uri"] is null)
        {
            return ErrorPage(http, failure?.Error ?? OAuthErrors.MissingParameter("request_uri"));
        }
        return p["decision"] switch
        {
            "allow" => await flow.ApproveWithConsentAsync(http, held!, browser, properties),
            "deny" => await flow.RefuseAsync(http, held!, browser, OAuthErrors.UserDeniedConsent(), properties),
            _ => ErrorPage(http, OAuthErrors.Request("The 'decision' must be 'allow' or 'deny'.")),
        };
    }

    public static string ResumeUrl(HeldRequest held) =>
        $"/authorize?client_id={Uri.EscapeDataString(held.Client.ClientId)}&request_uri={Uri.EscapeDataString(held.RequestUri)}";

    /// <summary>HTML for browsers, the OAuth JSON error for clients that ask for JSON (DESIGN §2.2.2).</summary>
    public static IResult ErrorPage(HttpContext http, OAuthError error)
    {
        var status = error.Status is >= 400 and < 500 ? error.Status : 400;
        if (http.Request.Headers.Accept.Any(a => a?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true))
        {
            return OAuthResults.Error(http, error with { Status = status });
        }
        return Html.Error(http, error.Code, error.Description, status);
    }
}
