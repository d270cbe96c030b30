using Parapet.Protocol.Clients;
using Parapet.Protocol.Properties;

namespace Parapet.Http.Admin;

/// <summary>The admin API accepts only access tokens this server issued with the <c>parapet.admin</c> scope.</summary>
internal sealed class AdminAuthorization(AccessTokens tokens, IPropertySource source) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var token = await tokens.ValidateAsync(http, source.Current.Properties);
        if (token.Failed)
        {
            foreach (var (name, value) in token.Error!.Headers ?? new Dictionary<string, string>())
            {
                http.Response.Headers[name] = value;
            }
            return AdminProblems.Problem(token.Error.Status, token.Error.Description, token.Error.Code);
        }
        var scopes = ScopeCatalog.Split(token.Value!.TryGetPayloadValue<string>("scope", out var s) ? s : null);
        if (!scopes.Contains(ScopeCatalog.Admin))
        {
            return AdminProblems.Problem(StatusCodes.Status403Forbidden, "The access token lacks the 'parapet.admin' scope.", "insufficient_scope");
        }
        http.Items[AdminActorKey] = token.Value.TryGetPayloadValue<string>("client_id", out var actor) ? actor : "unknown";
        return await next(context);
    }

    public const string AdminActorKey = "parapet.admin.actor";
}

/// <summary>The admin API answers errors as RFC 9457 problem details, with the OAuth-style code as <c>error</c>.</summary>
internal static class AdminProblems
{
    public static IResult Problem(int status, string detail, string? error = null) =>
        Results.Problem(detail: detail, statusCode: status, extensions: error is null ? null : new Dictionary<string, object?> { ["error"] = error });

    public static IResult BadRequest(string detail) => Problem(StatusCodes.Status400BadRequest, detail, "invalid_request");
    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, detail, "not_found");
    public static IResult Conflict(string detail) => Problem(StatusCodes.Status409Conflict, detail, "conflict");
}
