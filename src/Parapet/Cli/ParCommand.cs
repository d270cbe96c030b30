using System.CommandLine;

namespace Parapet.Cli;

/// <summary><c>parapet par list|revoke</c>: active pushed authorization requests, by their stored id (never the request URI).</summary>
internal sealed class ParCommand : Command
{
    public ParCommand(CliEnvironment env)
        : base("par", "List and revoke active pushed authorization requests.")
    {
        Subcommands.Add(new ListCommand(env));
        Subcommands.Add(new AdminDeleteCommand(
            "revoke", "Revoke an active pushed request; its request_uri stops working at once.", env,
            new Argument<string>("ID") { Description = "The id shown by 'par list'." }, id => "/par/" + Uri.EscapeDataString(id), id => $"Revoked pushed request '{id}'.")
            .WithExamples("parapet par revoke 3q2-…"));
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
            context.WriteList(
                (await context.Admin.GetAsync(path, ct)).Body,
                ("ID", "id"), ("CLIENT_ID", "client_id"), ("EXPIRES_AT", "expires_at"), ("CLAIMED", "claimed"), ("SCOPE", "scope"), ("REDIRECT_URI", "redirect_uri"));
        }
    }
}
