using System.CommandLine;

namespace Parapet.Cli.Clients;

/// <summary>
/// <c>parapet clients add</c>: registers a client and prints its secret once. Here <c>--client-id</c> and
/// <c>--client-secret</c> describe the new client; the admin connection is <c>--admin-client-id</c>/<c>--admin-client-secret</c>.
/// </summary>
internal sealed class ClientsAddCommand : AdminCommand
{
    private readonly Option<string?> _clientId = new("--client-id") { Description = "The new client's client_id (default: generated).", HelpName = "ID" };
    private readonly Option<string?> _clientSecret = new("--client-secret")
    {
        Description = "The new client's secret, e.g. one moved from Janssen (default: generated and printed once).",
        HelpName = "SECRET",
    };
    private readonly ClientMetadataOptions _metadata = new();

    public ClientsAddCommand(CliEnvironment env)
        : base("add", "Register a client. A generated secret is printed once; only its hash is kept.", env, clientAliases: false)
    {
        Options.Add(_clientId);
        Options.Add(_clientSecret);
        _metadata.AddTo(this);
        this.WithExamples(
            "parapet clients add --client-id app --name \"My app\" --redirect-uri https://app.example/cb --par-lifetime 120 --require-par",
            "parapet clients add --client-id spa --auth-method none --redirect-uri http://127.0.0.1:5173/cb",
            "parapet clients add --client-id reports --grant-type client_credentials --json");
    }

    protected override async Task RunAsync(CliContext context, CancellationToken ct)
    {
        var metadata = _metadata.Read(context.Parse);
        if (context.Parse.GetValue(_clientId) is { } id)
        {
            metadata["client_id"] = id;
        }
        if (context.Parse.GetValue(_clientSecret) is { } secret)
        {
            metadata["client_secret"] = secret;
        }
        var client = (await context.Admin.SendJsonAsync(HttpMethod.Post, "/clients", metadata, ct)).Body;
        if (!context.Json)
        {
            context.Out.WriteLine($"Added client '{TextTable.Member(client, "client_id")}'.");
        }
        ClientsCommand.WriteClient(context, client);
    }
}
