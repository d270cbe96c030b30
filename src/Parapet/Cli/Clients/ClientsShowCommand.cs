using System.CommandLine;

namespace Parapet.Cli.Clients;

/// <summary><c>parapet clients show ID</c>.</summary>
internal sealed class ClientsShowCommand : AdminCommand
{
    private readonly Argument<string> _id = new("ID") { Description = "The client_id." };

    public ClientsShowCommand(CliEnvironment env) : base("show", "Show one client's metadata (never its secret).", env)
    {
        Arguments.Add(_id);
        this.WithExamples("parapet clients show app", "parapet clients show app --json");
    }

    protected override async Task RunAsync(CliContext context, CancellationToken ct) =>
        ClientsCommand.WriteClient(context, (await context.Admin.GetAsync(ClientsCommand.PathOf(context.Parse.GetValue(_id)!), ct)).Body);
}
