using System.CommandLine;
using System.Text.Json.Nodes;

namespace Parapet.Cli.Clients;

/// <summary><c>parapet clients …</c>: registered clients, with RFC 7591 metadata and Janssen's PAR settings.</summary>
internal sealed class ClientsCommand : Command
{
    public ClientsCommand(CliEnvironment env)
        : base("clients", "Register, change and remove clients (RFC 7591 metadata plus par_lifetime and require_par).")
    {
        Subcommands.Add(new ClientsListCommand(env));
        Subcommands.Add(new ClientsAddCommand(env));
        Subcommands.Add(new ClientsShowCommand(env));
        Subcommands.Add(new ClientsUpdateCommand(env));
        Subcommands.Add(new AdminDeleteCommand(
            "delete", "Delete a client.", env,
            new Argument<string>("ID") { Description = "The client_id." }, PathOf, id => $"Deleted client '{id}'.")
            .WithExamples("parapet clients delete app"));
        Subcommands.Add(new ClientsRotateSecretCommand(env));
        this.WithExamples(
            "parapet clients list",
            "parapet clients add --client-id app --redirect-uri https://app.example/cb --par-lifetime 120 --require-par",
            "parapet clients rotate-secret app");
    }

    /// <summary>A client as a name/value table; a just-issued secret last, with the warning that it is shown only once.</summary>
    internal static void WriteClient(CliContext context, JsonNode? client)
    {
        if (context.Json)
        {
            TextTable.WriteJson(context.Out, client);
            return;
        }
        if (client is JsonObject obj)
        {
            TextTable.WriteObject(context.Out, obj, ["client_secret", "client_secret_expires_at"]);
        }
        WriteIssuedSecret(context, client);
    }

    internal static void WriteIssuedSecret(CliContext context, JsonNode? client)
    {
        if (client?["client_secret"] is JsonValue secret)
        {
            context.Out.WriteLine();
            context.Out.WriteLine($"client_secret: {secret}");
            context.Out.WriteLine("Store it now: it is shown only this once (the server keeps only a hash).");
        }
    }

    internal static string PathOf(string clientId) => "/clients/" + Uri.EscapeDataString(clientId);
}
