using Parapet.Protocol.Clients;
using Parapet.Protocol.Properties;
using Parapet.Protocol.Requests;

namespace Parapet.Protocol.Authorization;

/// <summary>What a rule may look at. <paramref name="Pushed"/>: the request arrived at <c>/par</c>; <paramref name="ClientAuthenticated"/>: the client proved its identity.</summary>
public sealed record AuthorizationContext(AuthorizationRequest Request, Client Client, ServerProperties Properties, bool Pushed, bool ClientAuthenticated);

/// <summary>One check of an authorization request, shared by <c>/par</c> and <c>/authorize</c>.</summary>
public interface IAuthorizationRule
{
    Errors.OAuthError? Check(AuthorizationContext context);
}
