using System.CommandLine;

namespace Parapet.Cli.Clients;

/// <summary><c>parapet clients update ID</c>: changes only the metadata given; the rest stays as it is.</summary>
internal sealed class ClientsUpdateCommand : AdminCommand
{
    private readonly Argument<string> _id = new("ID") { Description = "The client_id." };
    private readonly ClientMetadataOptions _metadata = new();

    public ClientsUpdateCommand(CliEnvironment env)
        : base("update", "Change a client's metadata; options not given keep their current values.", env)
    {
        Arguments.Add(_id);
        _metadata.AddTo(this);
        this.WithExamples("parapet clients update app --par-lifetime 60 --require-par", "parapet clients update app --require-par false --trusted");
    }

    protected override async Task RunAsync(CliContext context, CancellationToken ct)
    {
        var id = context.Parse.GetValue(_id)!;
        var metadata = _metadata.Read(context.Parse);
        if (metadata.Count == 0)
        {
            throw new CliError("Nothing to change: give at least one option, e.g. --par-lifetime 60 (see --help).");
        }
        var client = (await context.Admin.SendJsonAsync(HttpMethod.Put, ClientsCommand.PathOf(id), metadata, ct)).Body;
        if (!context.Json)
        {
            context.Out.WriteLine($"Updated client '{id}'.");
        }
        ClientsCommand.WriteClient(context, client);
    }
}
