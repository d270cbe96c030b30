using System.CommandLine;
using Parapet.Hosting;

namespace Parapet.Cli;

/// <summary>Where the admin API is and which admin client to authenticate as.</summary>
/// <param name="PinnedCertificate">
/// The server's self-signed certificate file (<c>--tls-self-signed</c>) from the data directory whose credentials are used:
/// the CLI trusts that certificate for that server, as nothing else can vouch for it.
/// </param>
internal sealed record Connection(string Server, string ClientId, string ClientSecret, string? PinnedCertificate = null);

/// <summary>
/// The options every admin-API command takes. By default the server URL and admin credentials come from
/// <c>admin-credentials.json</c> in the data directory; <c>--server</c>, <c>--admin-client-id</c> and
/// <c>--admin-client-secret</c> (or their environment variables) override it. <c>--client-id</c>/<c>--client-secret</c>
/// are aliases, except on <c>clients add</c>, where <c>--client-id</c> names the client being added.
/// </summary>
internal sealed class ConnectionOptions
{
    public ConnectionOptions(bool clientAliases)
    {
        ClientId = new Option<string?>("--admin-client-id", clientAliases ? ["--client-id"] : [])
        {
            Description = "Admin client id (env PARAPET_CLIENT_ID; default: from admin-credentials.json).",
            HelpName = "ID",
        };
        ClientSecret = new Option<string?>("--admin-client-secret", clientAliases ? ["--client-secret"] : [])
        {
            Description = "Admin client secret (env PARAPET_CLIENT_SECRET; default: from admin-credentials.json).",
            HelpName = "SECRET",
        };
    }

    public Option<string?> DataDir { get; } = new("--data-dir")
    {
        Description = "Data directory whose admin-credentials.json names the server and admin client (env PARAPET_DATA_DIR; default ./parapet-data).",
        HelpName = "DIR",
    };

    public Option<string?> Server { get; } = new("--server")
    {
        Description = "Server URL, e.g. http://127.0.0.1:8080 (env PARAPET_SERVER; default: from admin-credentials.json).",
        HelpName = "URL",
    };

    public Option<string?> ClientId { get; }
    public Option<string?> ClientSecret { get; }

    public Option<string?> Profile { get; } = new("--profile")
    {
        Description = "A named server connection from profiles.json (env PARAPET_PROFILE); see 'parapet profiles'.",
        HelpName = "NAME",
    };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the server's JSON instead of a table." };

    /// <summary>Adds the connection options; <c>--json</c> only to commands that print (not to <c>tui</c>).</summary>
    public void AddTo(Command command, bool json = true)
    {
        command.Options.Add(DataDir);
        command.Options.Add(Server);
        command.Options.Add(ClientId);
        command.Options.Add(ClientSecret);
        command.Options.Add(Profile);
        if (json)
        {
            command.Options.Add(Json);
        }
    }

    public bool Contains(Option option) => option == DataDir || option == Server || option == ClientId || option == ClientSecret || option == Profile || option == Json;

    /// <summary>Options first, then environment variables, then a named profile, then the credentials file for whatever is still missing.</summary>
    public Connection Resolve(ParseResult parse, CliEnvironment env)
    {
        var server = parse.GetValue(Server) ?? env.VariableOrNull("PARAPET_SERVER");
        var clientId = parse.GetValue(ClientId) ?? env.VariableOrNull("PARAPET_CLIENT_ID");
        var clientSecret = parse.GetValue(ClientSecret) ?? env.VariableOrNull("PARAPET_CLIENT_SECRET");
        if ((server is null || clientId is null || clientSecret is null) && (parse.GetValue(Profile) ?? env.VariableOrNull("PARAPET_PROFILE")) is { } name)
        {
            var profile = new Profiles(env).Get(name);
            server ??= profile.Server;
            clientId ??= profile.ClientId;
            clientSecret ??= profile.ClientSecret;
        }
        string? pinned = null;
        if (server is null || clientId is null || clientSecret is null)
        {
            var dataDir = parse.GetValue(DataDir) ?? env.VariableOrNull("PARAPET_DATA_DIR") ?? ServerOptions.DefaultDataDir;
            var file = AdminCredentials.Read(dataDir) ?? throw new CliError(
                $"No {AdminCredentials.FileName} in '{dataDir}'. Pass --data-dir with the server's data directory, " +
                "or --server, --admin-client-id and --admin-client-secret.");
            server ??= file.Server;
            clientId ??= file.ClientId;
            clientSecret ??= file.ClientSecret;
            var selfSigned = Path.Combine(dataDir, ServerCertificate.SelfSignedCertFile);
            pinned = File.Exists(selfSigned) ? selfSigned : null;
        }
        if (!Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new CliError($"The server URL '{server}' is not an absolute http or https URL.");
        }
        return new Connection(server.TrimEnd('/'), clientId, clientSecret, pinned);
    }
}
