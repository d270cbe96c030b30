using System.CommandLine;

namespace Parapet.Cli.Clients;

/// <summary><c>parapet clients list</c>.</summary>
internal sealed class ClientsListCommand : AdminCommand
{
    public ClientsListCommand(CliEnvironment env) : base("list", "List the registered clients.", env) =>
        this.WithExamples("parapet clients list", "parapet clients list --json");

    protected override async Task RunAsync(CliContext context, CancellationToken ct) => context.WriteList(
        (await context.Admin.GetAsync("/clients", ct)).Body,
        ("CLIENT_ID", "client_id"), ("NAME", "client_name"), ("AUTH_METHOD", "token_endpoint_auth_method"), ("GRANT_TYPES", "grant_types"),
        ("PAR_LIFETIME", "par_lifetime"), ("REQUIRE_PAR", "require_par"), ("DISABLED", "disabled"));
}
