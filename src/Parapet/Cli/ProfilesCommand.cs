using System.CommandLine;
using System.Text.Json.Nodes;

namespace Parapet.Cli;

/// <summary><c>parapet profiles add|list|remove</c>: named connections for <c>--profile</c>, so the CLI and TUI reach any server.</summary>
internal sealed class ProfilesCommand : Command
{
    public ProfilesCommand(CliEnvironment env) : base("profiles", "Manage named server connections (profiles.json) used with --profile.")
    {
        Subcommands.Add(Add(env));
        Subcommands.Add(List(env));
        Subcommands.Add(Remove(env));
        this.WithExamples(
            "parapet profiles add prod --server https://auth.example.com --admin-client-id parapet-admin --admin-client-secret \"$SECRET\"",
            "parapet config get requirePar --profile prod");
    }

    private static Command Add(CliEnvironment env)
    {
        var name = new Argument<string>("NAME") { Description = "The profile's name." };
        var server = new Option<string>("--server") { Description = "Server URL.", Required = true, HelpName = "URL" };
        var id = new Option<string>("--admin-client-id") { Description = "Admin client id.", Required = true, HelpName = "ID" };
        var secret = new Option<string>("--admin-client-secret") { Description = "Admin client secret ('-' reads it from stdin).", Required = true, HelpName = "SECRET" };
        var command = new Command("add", "Add or replace a profile.") { name, server, id, secret };
        command.SetAction((parse, _) => CliRunner.GuardAsync(env, () =>
        {
            var url = parse.GetValue(server)!;
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new CliError($"The server URL '{url}' is not an absolute http or https URL.");
            }
            var secretValue = parse.GetValue(secret)!;
            if (secretValue == "-")
            {
                secretValue = env.In.ReadLine()?.Trim() ?? "";
            }
            var profiles = new Profiles(env);
            var all = profiles.ReadAll();
            all[parse.GetValue(name)!] = new JsonObject { ["server"] = url.TrimEnd('/'), ["client_id"] = parse.GetValue(id), ["client_secret"] = secretValue };
            profiles.Save(all);
            env.Out.WriteLine($"Saved profile '{parse.GetValue(name)}' in {profiles.Path} (mode 0600).");
            return Task.CompletedTask;
        }));
        return command.WithExamples("parapet profiles add prod --server https://auth.example.com --admin-client-id parapet-admin --admin-client-secret -");
    }

    private static Command List(CliEnvironment env)
    {
        var command = new Command("list", "List profiles (never their secrets).");
        command.SetAction((_, _) => CliRunner.GuardAsync(env, () =>
        {
            var all = new Profiles(env).ReadAll();
            TextTable.Write(env.Out, ["NAME", "SERVER", "ADMIN_CLIENT_ID"],
                all.Select(p => (IReadOnlyList<string>)[p.Key, TextTable.Member(p.Value, "server"), TextTable.Member(p.Value, "client_id")]));
            return Task.CompletedTask;
        }));
        return command.WithExamples("parapet profiles list");
    }

    private static Command Remove(CliEnvironment env)
    {
        var name = new Argument<string>("NAME") { Description = "The profile to remove." };
        var command = new Command("remove", "Remove a profile.") { name };
        command.SetAction((parse, _) => CliRunner.GuardAsync(env, () =>
        {
            var profiles = new Profiles(env);
            var all = profiles.ReadAll();
            if (!all.Remove(parse.GetValue(name)!))
            {
                throw new CliError($"No profile '{parse.GetValue(name)}' in {profiles.Path}.");
            }
            profiles.Save(all);
            env.Out.WriteLine($"Removed profile '{parse.GetValue(name)}'.");
            return Task.CompletedTask;
        }));
        return command.WithExamples("parapet profiles remove prod");
    }
}
