using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Parapet.Http.Pages;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Requests;
using Parapet.Protocol.Storage;
using Parapet.Protocol.Token;

namespace Parapet.Http;

/// <summary>
/// <c>/end_session</c> (OpenID Connect RP-Initiated Logout 1.0), behind the <c>end_session</c> flag: read the parameters →
/// identify the client (<c>id_token_hint</c> or <c>client_id</c>) → check <c>post_logout_redirect_uri</c> against it →
/// ask the user when the request may not come from their application → end the browser session → redirect or "signed out".
/// Errors are shown as a page and never redirected: the redirect URI is only trusted once it matched.
/// </summary>
internal static class EndSessionEndpoint
{
    private const string ConfirmPath = "/end_session/confirm";
    private static readonly JsonWebTokenHandler Handler = new();

    private sealed record Logout(Client? Client, string? RedirectUri, string? State, string? HintSubject);

    public static void MapEndSession(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/end_session", [HttpMethods.Get, HttpMethods.Post], EndSessionAsync)
            .WithSummary("RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0)")
            .DisableAntiforgery();
        app.MapPost(ConfirmPath, ConfirmAsync).WithSummary("The end user confirms signing out").DisableAntiforgery();
    }

    private static async Task<IResult> EndSessionAsync(HttpContext http, IPropertySource source, IClientStore clients, ISigningKeys keys,
        IUserStore users, IAntiforgery antiforgery)
    {
        var properties = source.Current.Properties;
        if (!properties.IsEnabled(FeatureFlagCatalog.EndSession))
        {
            return OAuthResults.Error(http, OAuthErrors.FeatureDisabled(FeatureFlagCatalog.EndSession), properties);
        }
        var parameters = await FormReader.ReadAsync(http);
        if (parameters.Failed)
        {
            return ErrorPage(http, parameters.Error!);
        }
        var logout = await ReadAsync(parameters.Value!, properties, clients, keys, http.RequestAborted);
        if (logout.Failed)
        {
            return ErrorPage(http, logout.Error!);
        }
        var session = await BrowserSession.CurrentAsync(http, users);
        // §2: without a hint naming the signed-in user, the request could come from any site, so the user is asked first.
        if (session is not null && logout.Value!.HintSubject != session.User.Id)
        {
            return Html.ConfirmSignOut(http, antiforgery.GetAndStoreTokens(http), ConfirmPath, logout.Value.Client?.ClientId,
                logout.Value.RedirectUri, logout.Value.State);
        }
        return await SignOutAsync(http, logout.Value!);
    }

    private static async Task<IResult> ConfirmAsync(HttpContext http, IPropertySource source, IClientStore clients, ISigningKeys keys, IAntiforgery antiforgery)
    {
        var properties = source.Current.Properties;
        if (!properties.IsEnabled(FeatureFlagCatalog.EndSession))
        {
            return OAuthResults.Error(http, OAuthErrors.FeatureDisabled(FeatureFlagCatalog.EndSession), properties);
        }
        if (!http.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(http))
        {
            return ErrorPage(http, OAuthErrors.LogoutFormInvalid());
        }
        var parameters = await FormReader.ReadFormAsync(http);
        if (parameters.Failed)
        {
            return ErrorPage(http, parameters.Error!);
        }
        // The hidden fields come back from the browser, so the redirect URI is checked against the client once more.
        var logout = await ReadAsync(parameters.Value!, properties, clients, keys, http.RequestAborted);
        return logout.Failed ? ErrorPage(http, logout.Error!) : await SignOutAsync(http, logout.Value!);
    }

    /// <summary>§2: the client comes from the hint's audience or from <c>client_id</c>; the redirect URI must be one of its own.</summary>
    private static async Task<Checked<Logout>> ReadAsync(RequestParameters p, ServerProperties properties, IClientStore clients, ISigningKeys keys, CancellationToken ct)
    {
        Client? client = null;
        string? subject = null;
        if (p["id_token_hint"] is { } hint)
        {
            var token = await VerifyHintAsync(hint, properties, keys);
            client = token is null ? null : await clients.FindAsync(token.Audiences.Single(), ct);
            if (client is null)
            {
                return OAuthErrors.IdTokenHintInvalid();
            }
            if (p["client_id"] is { } clientId && clientId != client.ClientId)
            {
                return OAuthErrors.IdTokenHintClientMismatch();
            }
            subject = token!.Subject;
        }
        else if (p["client_id"] is { } clientId)
        {
            client = await clients.FindAsync(clientId, ct);
            if (client is null)
            {
                return OAuthErrors.UnknownClient();
            }
        }
        var redirectUri = p["post_logout_redirect_uri"];
        if (redirectUri is not null)
        {
            if (client is null)
            {
                return OAuthErrors.PostLogoutRedirectUriWithoutClient();
            }
            // Exact string match (RFC 9700 §4.1.3 applied to logout): never a prefix, never an unregistered target.
            if (!client.PostLogoutRedirectUris.Contains(redirectUri, StringComparer.Ordinal))
            {
                return OAuthErrors.PostLogoutRedirectUriNotRegistered();
            }
        }
        return new Logout(client, redirectUri, p["state"], subject);
    }

    /// <summary>
    /// §2: an ID token this server signed (with any published key) for a single client; expired ones are accepted, since
    /// a user often signs out long after signing in. Access tokens (<c>typ: at+jwt</c>) are not ID tokens.
    /// </summary>
    private static async Task<JsonWebToken?> VerifyHintAsync(string hint, ServerProperties properties, ISigningKeys keys)
    {
        var result = await Handler.ValidateTokenAsync(hint, new TokenValidationParameters
        {
            ValidIssuer = properties.Issuer,
            ValidateAudience = false, // checked by the caller: the audience must be a registered client
            ValidateLifetime = false,
            IssuerSigningKeys = keys.VerificationKeys,
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken token || token.Typ == "at+jwt" || token.Audiences.Count() != 1)
        {
            return null;
        }
        return token;
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, Logout logout)
    {
        await BrowserSession.SignOutAsync(http);
        if (logout.RedirectUri is null)
        {
            return Html.SignedOut(http);
        }
        http.Response.Headers.CacheControl = "no-store";
        return Results.Redirect(logout.State is null ? logout.RedirectUri : QueryHelpers.AddQueryString(logout.RedirectUri, "state", logout.State));
    }

    private static IResult ErrorPage(HttpContext http, OAuthError error) => Html.Error(http, error.Code, error.Description, error.Status);
}
