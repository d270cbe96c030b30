using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Parapet.Cli;

/// <summary><c>parapet registration-tokens create|list|revoke</c>: initial access tokens for dynamic registration (RFC 7591 §3).</summary>
internal sealed class RegistrationTokensCommand : Command
{
    public RegistrationTokensCommand(CliEnvironment env)
        : base("registration-tokens", "Make, list and revoke initial access tokens for POST /register (needed while registrationRequireInitialAccessToken is true).")
    {
        Subcommands.Add(new CreateCommand(env));
        Subcommands.Add(new ListCommand(env));
        Subcommands.Add(new AdminDeleteCommand(
            "revoke", "Revoke an initial access token; registrations with it are refused at once.", env,
            new Argument<string>("ID") { Description = "The id shown by 'registration-tokens list'." },
            id => "/registration-tokens/" + Uri.EscapeDataString(id), id => $"Revoked initial access token '{id}'.")
            .WithExamples("parapet registration-tokens revoke 7Hq2…"));
        this.WithExamples("parapet registration-tokens create --expires-in 86400 --max-uses 10", "parapet registration-tokens list", "parapet registration-tokens revoke 7Hq2…");
    }

    private sealed class CreateCommand : AdminCommand
    {
        private readonly Option<int?> _expiresIn = new("--expires-in") { Description = "Seconds until the token expires (default: never).", HelpName = "S" };
        private readonly Option<int?> _maxUses = new("--max-uses") { Description = "How many registrations it allows (default: any number).", HelpName = "N" };

        public CreateCommand(CliEnvironment env) : base("create", "Make an initial access token and print it once (the server keeps only a hash).", env)
        {
            Options.Add(_expiresIn);
            Options.Add(_maxUses);
            this.WithExamples("parapet registration-tokens create", "parapet registration-tokens create --expires-in 3600 --max-uses 1 --json | jq -r .token");
        }

        protected override async Task RunAsync(CliContext context, CancellationToken ct)
        {
            var body = new JsonObject();
            if (context.Parse.GetValue(_expiresIn) is { } expiresIn)
            {
                body["expires_in"] = expiresIn;
            }
            if (context.Parse.GetValue(_maxUses) is { } maxUses)
            {
                body["max_uses"] = maxUses;
            }
            var created = (await context.Admin.SendJsonAsync(HttpMethod.Post, "/registration-tokens", body, ct)).Body;
            if (context.Json)
            {
                TextTable.WriteJson(context.Out, created);
                return;
            }
            var expires = created?["expires_at"] is JsonValue e ? $" expiring {e}" : "";
            var uses = created?["max_uses"] is JsonValue m ? $" for {Convert.ToString(m, CultureInfo.InvariantCulture)} registration(s)" : "";
            context.Out.WriteLine($"Created initial access token '{created?["id"]}'{expires}{uses}.");
            context.Out.WriteLine();
            context.Out.WriteLine($"token: {created?["token"]}");
            context.Out.WriteLine("Store it now: it is shown only this once (the server keeps only a hash).");
        }
    }

    private sealed class ListCommand : AdminCommand
    {
        public ListCommand(CliEnvironment env) : base("list", "List initial access tokens (never their values): id, creation, expiry, uses.", env)
        {
            this.WithExamples("parapet registration-tokens list", "parapet registration-tokens list --json");
        }

        protected override async Task RunAsync(CliContext context, CancellationToken ct) =>
            context.WriteList((await context.Admin.GetAsync("/registration-tokens", ct)).Body,
                ("ID", "id"), ("CREATED_AT", "created_at"), ("EXPIRES_AT", "expires_at"), ("MAX_USES", "max_uses"), ("USES", "uses"));
    }
}
