using System.CommandLine;

namespace Parapet.Cli;

/// <summary><c>parapet keys list|rotate</c>: the signing keys (never their private parts) and rotation without downtime.</summary>
internal sealed class KeysCommand : Command
{
    private static readonly (string Header, string Member)[] Columns =
        [("KID", "kid"), ("ALG", "alg"), ("STATUS", "status"), ("CREATED_AT", "created_at"), ("RETIRE_AT", "retire_at")];

    public KeysCommand(CliEnvironment env)
        : base("keys", "List and rotate the server's signing keys.")
    {
        Subcommands.Add(new ListCommand(env));
        Subcommands.Add(new RotateCommand(env));
        this.WithExamples("parapet keys list", "parapet keys rotate");
    }

    private sealed class ListCommand : AdminCommand
    {
        public ListCommand(CliEnvironment env) : base("list", "List the signing keys: kid, algorithm, status (current, next, previous, retired).", env) =>
            this.WithExamples("parapet keys list", "parapet keys list --json");

        protected override async Task RunAsync(CliContext context, CancellationToken ct) =>
            context.WriteList((await context.Admin.GetAsync("/keys", ct)).Body, Columns);
    }

    private sealed class RotateCommand : AdminCommand
    {
        public RotateCommand(CliEnvironment env)
            : base("rotate", "Rotate now: the published next key starts signing, the current one stays published until its tokens expire.", env) =>
            this.WithExamples("parapet keys rotate");

        protected override async Task RunAsync(CliContext context, CancellationToken ct)
        {
            var response = await context.Admin.SendAsync(HttpMethod.Post, "/keys/rotate", null, ct);
            if (!context.Json)
            {
                context.Out.WriteLine("Signing keys rotated.");
            }
            context.WriteList(response.Body, Columns);
        }
    }
}
