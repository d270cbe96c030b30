using Parapet.Protocol;
using Parapet.Protocol.Clients;
using Parapet.Protocol.Errors;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Storage;

namespace Parapet.Http.Registration;

/// <summary>RFC 7591 §3: with <c>registrationRequireInitialAccessToken</c>, only holders of an initial access token may register.</summary>
internal static class InitialAccess
{
    /// <summary>The presented token if it is usable now; no token (and no error) while the property is off.</summary>
    public static async Task<Checked<InitialAccessToken?>> CheckAsync(HttpContext http, ServerProperties properties, IRegistrationTokenStore store, DateTimeOffset now)
    {
        if (!properties.RegistrationRequireInitialAccessToken)
        {
            return default;
        }
        var presented = RegistrationRequest.BearerToken(http);
        if (presented is null)
        {
            return OAuthErrors.InitialAccessTokenRequired();
        }
        var token = await store.FindUsableAsync(Hashing.Sha256(presented), now, http.RequestAborted);
        if (token is null)
        {
            return OAuthErrors.InitialAccessTokenInvalid();
        }
        return token;
    }

    /// <summary>The audit actor: <c>registration</c>, or <c>registration:&lt;token id&gt;</c> when an initial access token was used.</summary>
    public static string ActorOf(InitialAccessToken? token) =>
        token is null ? Admin.AdminAudit.RegistrationActor : $"{Admin.AdminAudit.RegistrationActor}:{token.Id}";
}
