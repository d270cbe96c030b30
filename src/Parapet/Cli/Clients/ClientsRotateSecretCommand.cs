using System.CommandLine;

namespace Parapet.Cli.Clients;

/// <summary><c>parapet clients rotate-secret ID</c>: a new secret, printed once; the old one stops working at once.</summary>
internal sealed class ClientsRotateSecretCommand : AdminCommand
{
    private readonly Argument<string> _id = new("ID") { Description = "The client_id." };

    public ClientsRotateSecretCommand(CliEnvironment env)
        : base("rotate-secret", "Issue a new client secret and print it once; the old secret stops working at once.", env)
    {
        Arguments.Add(_id);
        this.WithExamples("parapet clients rotate-secret app", "parapet clients rotate-secret app --json | jq -r .client_secret");
    }

    protected override async Task RunAsync(CliContext context, CancellationToken ct)
    {
        var id = context.Parse.GetValue(_id)!;
        var client = (await context.Admin.SendAsync(HttpMethod.Post, ClientsCommand.PathOf(id) + "/secret", null, ct)).Body;
        if (context.Json)
        {
            TextTable.WriteJson(context.Out, client);
            return;
        }
        context.Out.WriteLine($"Rotated the secret of client '{id}'.");
        ClientsCommand.WriteIssuedSecret(context, client);
    }
}
