using System.CommandLine;
using System.Text.Json.Nodes;

namespace Parapet.Cli;

/// <summary><c>parapet par list|revoke</c>: active pushed authorization requests, by their stored id (never the request URI).</summary>
internal sealed class ParCommand : Command
{
    public ParCommand(CliEnvironment env)
        : base("par", "List and revoke active pushed authorization requests.")
    {
        Subcommands.Add(new ListCommand(env));
        Subcommands.Add(new RevokeCommand(env));
        this.WithExamples("parapet par list --client app", "parapet par revoke 3q2-…");
    }

    private sealed class ListCommand : AdminCommand
    {
        private readonly Option<string?> _client = new("--client") { Description = "Only this client's requests.", HelpName = "ID" };

        public ListCommand(CliEnvironment env) : base("list", "List active pushed requests (up to 100): id, client, expiry, scope.", env)
        {
            Options.Add(_client);
            this.WithExamples("parapet par list", "parapet par list --client app --json");
        }

        protected override async Task RunAsync(CliContext context, CancellationToken ct)
        {
            var client = context.Parse.GetValue(_client);
            var path = client is null ? "/par" : "/par?client_id=" + Uri.EscapeDataString(client);
            var requests = (await context.Admin.GetAsync(path, ct)).Body;
            if (context.Json)
            {
                TextTable.WriteJson(context.Out, requests);
                return;
            }
            TextTable.Write(context.Out, ["ID", "CLIENT_ID", "EXPIRES_AT", "CLAIMED", "SCOPE", "REDIRECT_URI"], (requests as JsonArray ?? []).Select(r => (IReadOnlyList<string>)
            [
                TextTable.Member(r, "id"), TextTable.Member(r, "client_id"), TextTable.Member(r, "expires_at"),
                TextTable.Member(r, "claimed"), TextTable.Member(r, "scope"), TextTable.Member(r, "redirect_uri"),
            ]));
        }
    }

    private sealed class RevokeCommand : AdminCommand
    {
        private readonly Argument<string> _id = new("ID") { Description = "The id shown by 'par list'." };

        public RevokeCommand(CliEnvironment env) : base("revoke", "Revoke an active pushed request; its request_uri stops working at once.", env)
        {
            Arguments.Add(_id);
            this.WithExamples("parapet par revoke 3q2-…");
        }

        protected override async Task RunAsync(CliContext context, CancellationToken ct)
        {
            var id = context.Parse.GetValue(_id)!;
            await context.Admin.SendAsync(HttpMethod.Delete, "/par/" + Uri.EscapeDataString(id), null, ct);
            if (!context.Json)
            {
                context.Out.WriteLine($"Revoked pushed request '{id}'.");
            }
        }
    }
}
