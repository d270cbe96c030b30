using System.CommandLine;
using System.Text.Json.Nodes;

namespace Parapet.Cli;

/// <summary>What an admin-API command runs with: the connected client, the console, and whether to print JSON.</summary>
internal sealed record CliContext(AdminClient Admin, CliEnvironment Env, bool Json, ParseResult Parse)
{
    public TextWriter Out => Env.Out;

    /// <summary>The server's JSON with <c>--json</c>; else a table with one row per item.</summary>
    public void WriteList(JsonNode? items, params (string Header, string Member)[] columns)
    {
        if (Json)
        {
            TextTable.WriteJson(Out, items);
            return;
        }
        TextTable.Write(Out, columns.Select(c => c.Header).ToArray(), (items as JsonArray ?? [])
            .Select(item => (IReadOnlyList<string>)columns.Select(c => TextTable.Member(item, c.Member)).ToArray()));
    }

    /// <summary>The server's JSON (if it sent any) with <c>--json</c>; else one line for a human.</summary>
    public void WriteResult(JsonNode? body, string line)
    {
        if (Json)
        {
            if (body is not null)
            {
                TextTable.WriteJson(Out, body);
            }
            return;
        }
        Out.WriteLine(line);
    }
}

/// <summary>
/// A leaf command that speaks the admin API: it takes the connection options, connects, runs, and turns a failure
/// into the server's message on stderr and exit code 1.
/// </summary>
internal abstract class AdminCommand : Command
{
    private readonly ConnectionOptions _connection;

    protected AdminCommand(string name, string description, CliEnvironment env, bool clientAliases = true, bool json = true)
        : base(name, description)
    {
        var connection = _connection = new ConnectionOptions(clientAliases);
        connection.AddTo(this, json);
        SetAction((parse, ct) => CliRunner.GuardAsync(env, async () =>
        {
            var target = connection.Resolve(parse, env);
            var http = env.Http ?? CliHttp.Create(target);
            try
            {
                var admin = await AdminClient.ConnectAsync(http, target, ct);
                await RunAsync(new CliContext(admin, env, json && parse.GetValue(connection.Json), parse), ct);
            }
            finally
            {
                if (env.Http is null)
                {
                    http.Dispose();
                }
            }
        }));
    }

    protected abstract Task RunAsync(CliContext context, CancellationToken ct);

    /// <summary>Lists the command's own options first in <c>--help</c>, the connection options (the same everywhere) after them.</summary>
    public static void PlaceConnectionOptionsLast(Command command)
    {
        if (command is AdminCommand admin)
        {
            var shared = admin.Options.Where(admin._connection.Contains).ToList();
            foreach (var option in shared)
            {
                admin.Options.Remove(option);
                admin.Options.Add(option);
            }
        }
        foreach (var sub in command.Subcommands)
        {
            PlaceConnectionOptionsLast(sub);
        }
    }
}
