using System.CommandLine;
using System.Text.Json.Nodes;

namespace Parapet.Cli.Clients;

/// <summary><c>parapet clients list</c>.</summary>
internal sealed class ClientsListCommand : AdminCommand
{
    public ClientsListCommand(CliEnvironment env) : base("list", "List the registered clients.", env) =>
        this.WithExamples("parapet clients list", "parapet clients list --json");

    protected override async Task RunAsync(CliContext context, CancellationToken ct)
    {
        var clients = (await context.Admin.GetAsync("/clients", ct)).Body;
        if (context.Json)
        {
            TextTable.WriteJson(context.Out, clients);
            return;
        }
        TextTable.Write(
            context.Out,
            ["CLIENT_ID", "NAME", "AUTH_METHOD", "GRANT_TYPES", "PAR_LIFETIME", "REQUIRE_PAR", "DISABLED"],
            (clients as JsonArray ?? []).Select(c => (IReadOnlyList<string>)
            [
                TextTable.Member(c, "client_id"), TextTable.Member(c, "client_name"), TextTable.Member(c, "token_endpoint_auth_method"),
                TextTable.Member(c, "grant_types"), TextTable.Member(c, "par_lifetime"), TextTable.Member(c, "require_par"), TextTable.Member(c, "disabled"),
            ]));
    }
}
