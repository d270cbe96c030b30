using System.CommandLine;

namespace Parapet.Cli.Clients;

/// <summary><c>parapet clients delete ID</c>.</summary>
internal sealed class ClientsDeleteCommand : AdminCommand
{
    private readonly Argument<string> _id = new("ID") { Description = "The client_id." };

    public ClientsDeleteCommand(CliEnvironment env) : base("delete", "Delete a client; its pushed requests and tokens stop working.", env)
    {
        Arguments.Add(_id);
        this.WithExamples("parapet clients delete app");
    }

    protected override async Task RunAsync(CliContext context, CancellationToken ct)
    {
        var id = context.Parse.GetValue(_id)!;
        await context.Admin.SendAsync(HttpMethod.Delete, ClientsCommand.PathOf(id), null, ct);
        if (!context.Json)
        {
            context.Out.WriteLine($"Deleted client '{id}'.");
        }
    }
}
