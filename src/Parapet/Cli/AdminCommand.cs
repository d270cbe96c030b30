using System.CommandLine;

namespace Parapet.Cli;

/// <summary>What an admin-API command runs with: the connected client, the console, and whether to print JSON.</summary>
internal sealed record CliContext(AdminClient Admin, CliEnvironment Env, bool Json, ParseResult Parse)
{
    public TextWriter Out => Env.Out;
}

/// <summary>
/// A leaf command that speaks the admin API: it takes the connection options, connects, runs, and turns a failure
/// into the server's message on stderr and exit code 1.
/// </summary>
internal abstract class AdminCommand : Command
{
    protected AdminCommand(string name, string description, CliEnvironment env, bool clientAliases = true)
        : base(name, description)
    {
        var connection = new ConnectionOptions(clientAliases);
        connection.AddTo(this);
        SetAction((parse, ct) => CliRunner.GuardAsync(env, async () =>
        {
            var target = connection.Resolve(parse, env);
            var http = env.Http ?? new HttpClient();
            try
            {
                var admin = await AdminClient.ConnectAsync(http, target, ct);
                await RunAsync(new CliContext(admin, env, parse.GetValue(connection.Json), parse), ct);
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
}
