namespace Parapet.Http.Admin;

/// <summary>The admin API under <c>/admin/v1</c>: one place for validation and authorization, used by the CLI, TUI and console.</summary>
internal static class AdminApi
{
    public static void MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/v1").AddEndpointFilter<AdminAuthorization>().DisableAntiforgery();
        admin.MapConfig();
        admin.MapClients();
        admin.MapUsers();
        admin.MapParAdmin();
        admin.MapAudit();
        admin.MapRegistrationTokens();
        admin.MapKeys();
    }
}
