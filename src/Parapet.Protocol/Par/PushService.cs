using Parapet.Protocol.Authorization;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Requests;
using Parapet.Protocol.Storage;

namespace Parapet.Protocol.Par;

/// <summary>The answer to a successful push (RFC 9126 §2.2).</summary>
public sealed record PushResult(string RequestUri, int ExpiresIn);

/// <summary>
/// Stores a pushed authorization request once it has passed the same validation as <c>/authorize</c> (RFC 9126 §2.1).
/// The client is already authenticated; the feature flag is checked by the endpoint.
/// </summary>
public sealed class PushService(IPushedRequestStore store, RequestObjectReader requestObjects, TimeProvider time)
{
    /// <param name="proofJkt">The key of a valid DPoP proof sent with the push, if any (RFC 9449 §10.1).</param>
    public async Task<Checked<PushResult>> PushAsync(RequestParameters parameters, Client client, ServerProperties properties, CancellationToken ct, string? proofJkt = null)
    {
        if (parameters.Has("request_uri"))
        {
            return OAuthErrors.RequestUriNotAllowedAtPar();
        }
        if (client.IsPublic && properties.ParForbidPublicClient)
        {
            return OAuthErrors.PublicClientForbiddenAtPar();
        }
        var now = time.GetUtcNow();
        var lifetime = properties.ParLifetimeFor(client.ParLifetime);
        if (parameters["request"] is { } compact)
        {
            var requestObject = await requestObjects.ReadAsync(compact, client, properties, ct);
            if (requestObject.Failed)
            {
                return requestObject.Error!;
            }
            // RFC 9126 §3: the request object's parameters are the authorization request; the form's others are ignored.
            parameters = requestObject.Value!.Parameters;
            // Its exp may shorten the request URI's life, never lengthen it (DESIGN §2.1 rule 7).
            lifetime = (int)Math.Min(lifetime, Math.Floor((requestObject.Value.ExpiresAt - now).TotalSeconds));
        }
        var validated = AuthorizationRequestValidator.Validate(parameters, client, properties, pushed: true, clientAuthenticated: !client.IsPublic);
        if (validated.Failed)
        {
            return validated.Error!;
        }
        var request = validated.Value!;
        if (proofJkt is not null)
        {
            // RFC 9449 §10.1: a proof at /par binds the code as dpop_jkt would; both sent must name the same key.
            if (request.DpopJkt is not null && request.DpopJkt != proofJkt)
            {
                return OAuthErrors.DpopJktMismatch();
            }
            request = request with { DpopJkt = proofJkt };
        }
        var reference = RequestUri.NewReference(now);
        await store.AddAsync(new PushedRequest(
            RequestUri.KeyOfReference(reference),
            client.ClientId,
            request,
            now,
            now.AddSeconds(lifetime),
            ViaPar: true,
            RedirectUriRegistered: RedirectUris.IsRegistered(client, request.RedirectUri!)), ct);
        return new PushResult(RequestUri.Format(reference), lifetime);
    }
}
