using Microsoft.AspNetCore.Antiforgery;
using Parapet.Http.Pages;
using Parapet.Protocol.Authorization;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;

namespace Parapet.Http;

/// <summary>What happens to a held request in the browser: sign-in, consent, then the code or the error to the client.</summary>
internal sealed class AuthorizationFlow(IUserStore users, CodeIssuer codes, IAntiforgery antiforgery, TimeProvider time)
{
    public async Task<IResult> ContinueAsync(HttpContext http, HeldRequest held, string browser, ServerProperties properties)
    {
        var request = held.Pushed.Request;
        var prompts = request.Prompts;
        var session = await BrowserSession.CurrentAsync(http, users);
        var now = time.GetUtcNow();
        var loginRequired = session is null
            // prompt=login: a sign-in after this request arrived is needed (it is, once the user has signed in on our page).
            || (prompts.Contains("login") && session.AuthTime < held.Pushed.CreatedAt.AddSeconds(-1))
            || (request.MaxAgeSeconds is { } maxAge && now - session.AuthTime > TimeSpan.FromSeconds(maxAge));
        if (loginRequired)
        {
            return prompts.Contains("none")
                ? await RefuseAsync(http, held, browser, OAuthErrors.LoginRequiredForPromptNone(), properties)
                : Results.Redirect("/login?return_url=" + Uri.EscapeDataString(AuthorizeEndpoint.ResumeUrl(held)));
        }
        var consentNeeded = !held.Client.Trusted
            && (prompts.Contains("consent") || !await users.HasConsentAsync(session!.User.Id, held.Client.ClientId, request.Scopes, http.RequestAborted));
        if (consentNeeded)
        {
            return prompts.Contains("none")
                ? await RefuseAsync(http, held, browser, OAuthErrors.ConsentRequiredForPromptNone(), properties)
                : Html.Consent(http, antiforgery.GetAndStoreTokens(http), held.Client.ClientName ?? held.Client.ClientId, held.Client.ClientId, held.RequestUri, request.Scopes);
        }
        return await ApproveAsync(http, held, browser, session!, properties);
    }

    public async Task<IResult> ApproveWithConsentAsync(HttpContext http, HeldRequest held, string browser, ServerProperties properties)
    {
        var session = await BrowserSession.CurrentAsync(http, users);
        if (session is null)
        {
            return Results.Redirect("/login?return_url=" + Uri.EscapeDataString(AuthorizeEndpoint.ResumeUrl(held)));
        }
        await users.RememberConsentAsync(session.User.Id, held.Client.ClientId, held.Pushed.Request.Scopes, http.RequestAborted);
        return await ApproveAsync(http, held, browser, session, properties);
    }

    public async Task<IResult> RefuseAsync(HttpContext http, HeldRequest held, string browser, OAuthError error, ServerProperties properties)
    {
        var response = await codes.RefuseAsync(held, browser, error, properties, http.RequestAborted);
        return response.Failed ? AuthorizeEndpoint.ErrorPage(http, response.Error!) : Respond(http, response.Value!);
    }

    private async Task<IResult> ApproveAsync(HttpContext http, HeldRequest held, string browser, BrowserSession.SignedIn session, ServerProperties properties)
    {
        var response = await codes.ApproveAsync(held, browser, session.User.Id, session.AuthTime, properties, http.RequestAborted);
        return response.Failed ? AuthorizeEndpoint.ErrorPage(http, response.Error!) : Respond(http, response.Value!);
    }

    public IResult Respond(HttpContext http, AuthorizationResponse response)
    {
        http.Response.Headers.CacheControl = "no-store";
        return response.ResponseMode == "form_post"
            ? Html.FormPost(http, response.RedirectUri, response.Parameters)
            : Results.Redirect(response.ToQueryUrl());
    }
}
