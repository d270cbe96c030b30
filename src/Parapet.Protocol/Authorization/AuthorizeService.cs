using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Fapi;
using Parapet.Protocol.Par;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Requests;
using Parapet.Protocol.Storage;

namespace Parapet.Protocol.Authorization;

/// <summary>An authorization request that this browser now holds: claimed from <c>/par</c>, or a plain request parked for the login round-trip.</summary>
/// <param name="RequestUri">The request URI the browser resumes with (a reload of it lands here again).</param>
/// <param name="Parked">True when a plain request was just parked: the browser should be sent to <paramref name="RequestUri"/>.</param>
public sealed record HeldRequest(PushedRequest Pushed, Client Client, string RequestUri, bool Parked);

/// <summary>An authorization failure, and where it may go: to the client's validated redirect URI, or only to the error page.</summary>
public sealed record AuthorizeFailure(OAuthError Error, AuthorizationRequest? RedirectTo);

/// <summary>
/// Turns the front-channel request at <c>/authorize</c> into a request held by this browser (RFC 9126 §4), or a failure.
/// </summary>
public sealed class AuthorizeService(IClientStore clients, IPushedRequestStore store, TimeProvider time)
{
    /// <param name="browser">A hash of this browser's transaction id (cookie): who may resume a claimed request.</param>
    public async Task<(HeldRequest? Held, AuthorizeFailure? Failure)> ResolveAsync(RequestParameters parameters, string browser, ServerProperties properties, CancellationToken ct)
    {
        var clientId = parameters["client_id"];
        if (clientId is null)
        {
            return Fail(OAuthErrors.MissingParameter("client_id"));
        }
        var requestUri = parameters["request_uri"];
        return requestUri is null
            ? await ParkPlainRequestAsync(parameters, clientId, browser, properties, ct)
            : await ClaimPushedRequestAsync(requestUri, clientId, browser, properties, ct);
    }

    /// <summary>
    /// RFC 9126 §4 and RFC 9101 §5: only <c>client_id</c> and <c>request_uri</c> are read from the front channel;
    /// everything else comes from the pushed request, so other query parameters are ignored, never merged.
    /// </summary>
    private async Task<(HeldRequest?, AuthorizeFailure?)> ClaimPushedRequestAsync(string requestUri, string clientId, string browser, ServerProperties properties, CancellationToken ct)
    {
        var key = RequestUri.KeyOf(requestUri);
        if (key is null)
        {
            return Fail(requestUri.StartsWith(RequestUri.Prefix, StringComparison.Ordinal) ? OAuthErrors.RequestUriMalformed() : OAuthErrors.RequestUriNotSupported());
        }
        var now = time.GetUtcNow();
        var (outcome, pushed) = await store.ClaimAsync(key, clientId, browser, now, now.AddSeconds(properties.SessionIdLifetime), ct);
        switch (outcome)
        {
            case ClaimOutcome.OtherClient:
                return Fail(OAuthErrors.RequestUriClientMismatch());
            case ClaimOutcome.ClaimedByAnotherBrowser:
                return Fail(OAuthErrors.RequestUriClaimedElsewhere());
            case ClaimOutcome.Unknown:
                return Fail(OAuthErrors.RequestUriUnknown());
        }
        var client = await clients.FindAsync(clientId, ct);
        if (client is null || client.Disabled)
        {
            return Fail(OAuthErrors.UnknownClient());
        }
        // DESIGN §4.3: trust the validated request; re-check only what can change since the push.
        if (pushed!.RedirectUriRegistered && !RedirectUris.IsRegistered(client, pushed.Request.RedirectUri!))
        {
            return Fail(OAuthErrors.RedirectUriNotRegistered());
        }
        return (new HeldRequest(pushed, client, requestUri, Parked: false), null);
    }

    private async Task<(HeldRequest?, AuthorizeFailure?)> ParkPlainRequestAsync(RequestParameters parameters, string clientId, string browser, ServerProperties properties, CancellationToken ct)
    {
        var client = await clients.FindAsync(clientId, ct);
        if (client is null || client.Disabled)
        {
            return Fail(OAuthErrors.UnknownClient());
        }
        if (parameters.Has("request"))
        {
            return Fail(OAuthErrors.RequestObjectNotSupported());
        }
        var validated = AuthorizationRequestValidator.Validate(parameters, client, properties, pushed: false, clientAuthenticated: false);
        if (validated.Failed)
        {
            var error = validated.Error!;
            // A redirectable error means the redirect URI passed: either sent and registered, or omitted with exactly one
            // registered (RFC 6749 §3.1.2.3), in which case the error goes to that one.
            var target = AuthorizationRequest.From(parameters, clientId);
            return Fail(error, error.Redirectable ? target with { RedirectUri = target.RedirectUri ?? client.RedirectUris[0] } : null);
        }
        var request = validated.Value!;
        // FAPI 2.0 §5.3.2.2: authorization requests without PAR are refused, as if requirePar (server switch) or require_par
        // (client flag) were on; the same errors, so clients see one behaviour whichever switch asked for PAR.
        var fapi = FapiProfile.AppliesTo(properties, client);
        var serverRequiresPar = properties.RequirePar || (fapi && !client.FapiCompatibility);
        if (serverRequiresPar || client.RequirePar || fapi)
        {
            // DESIGN §2.2.4: the client and redirect URI are valid, so the refusal goes back to the client.
            return Fail((serverRequiresPar ? OAuthErrors.ServerRequiresPar() : OAuthErrors.ParRequired()).AsRedirectable(), request);
        }
        var now = time.GetUtcNow();
        var reference = RequestUri.NewReference(now);
        var parked = new PushedRequest(RequestUri.KeyOfReference(reference), client.ClientId, request, now,
            now.AddSeconds(properties.SessionIdLifetime), ViaPar: false, RedirectUriRegistered: true, ClaimedBy: browser);
        await store.AddAsync(parked, ct);
        return (new HeldRequest(parked, client, RequestUri.Format(reference), Parked: true), null);
    }

    private static (HeldRequest?, AuthorizeFailure?) Fail(OAuthError error, AuthorizationRequest? redirectTo = null) =>
        (null, new AuthorizeFailure(error, error.Redirectable ? redirectTo : null));
}
