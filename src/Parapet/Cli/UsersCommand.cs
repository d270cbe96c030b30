using System.CommandLine;
using System.Text.Json.Nodes;

namespace Parapet.Cli;

/// <summary><c>parapet users add|list|set-password|delete</c>: end users who sign in on the login page.</summary>
internal sealed class UsersCommand : Command
{
    public UsersCommand(CliEnvironment env)
        : base("users", "Add, list and remove end users, and set their passwords.")
    {
        Subcommands.Add(new ListCommand(env));
        Subcommands.Add(new AddCommand(env));
        Subcommands.Add(new SetPasswordCommand(env));
        Subcommands.Add(new AdminDeleteCommand(
            "delete", "Delete a user.", env, new Argument<string>("USERNAME") { Description = "The login name." }, PathOf, u => $"Deleted user '{u}'.")
            .WithExamples("parapet users delete alice"));
        this.WithExamples("parapet users add alice --password 'correct-horse-battery' --name Alice", "parapet users list");
    }

    private static Option<string> PasswordOption() => new("--password")
    {
        Description = "The password (8 to 1024 characters); - reads one line from standard input, which keeps it out of the process list.",
        HelpName = "P",
        Required = true,
    };

    private static async Task<string> ReadPasswordAsync(CliContext context, string value, CancellationToken ct) =>
        value != "-" ? value : await context.Env.In.ReadLineAsync(ct) ?? throw new CliError("No password on standard input.");

    private static string PathOf(string username) => "/users/" + Uri.EscapeDataString(username);

    private sealed class ListCommand : AdminCommand
    {
        public ListCommand(CliEnvironment env) : base("list", "List the users (never their password hashes).", env) =>
            this.WithExamples("parapet users list", "parapet users list --json");

        protected override async Task RunAsync(CliContext context, CancellationToken ct) => context.WriteList(
            (await context.Admin.GetAsync("/users", ct)).Body,
            ("USERNAME", "username"), ("NAME", "name"), ("EMAIL", "email"), ("DISABLED", "disabled"), ("CREATED_AT", "created_at"));
    }

    private sealed class AddCommand : AdminCommand
    {
        private readonly Argument<string> _username = new("USERNAME") { Description = "The login name (no spaces)." };
        private readonly Option<string> _password = PasswordOption();
        private readonly Option<string?> _name = new("--name") { Description = "Display name.", HelpName = "TEXT" };
        private readonly Option<string?> _email = new("--email") { Description = "E-mail address.", HelpName = "ADDRESS" };

        public AddCommand(CliEnvironment env) : base("add", "Add a user who can sign in on the login page.", env)
        {
            Arguments.Add(_username);
            Options.Add(_password);
            Options.Add(_name);
            Options.Add(_email);
            this.WithExamples("parapet users add alice --password 'correct-horse-battery' --name Alice --email alice@example.com", "pass show alice | parapet users add alice --password -");
        }

        protected override async Task RunAsync(CliContext context, CancellationToken ct)
        {
            var body = new JsonObject
            {
                ["username"] = context.Parse.GetValue(_username),
                ["password"] = await ReadPasswordAsync(context, context.Parse.GetValue(_password)!, ct),
                ["name"] = context.Parse.GetValue(_name),
                ["email"] = context.Parse.GetValue(_email),
            };
            var user = (await context.Admin.SendJsonAsync(HttpMethod.Post, "/users", body, ct)).Body;
            context.WriteResult(user, $"Added user '{TextTable.Member(user, "username")}'.");
        }
    }

    private sealed class SetPasswordCommand : AdminCommand
    {
        private readonly Argument<string> _username = new("USERNAME") { Description = "The login name." };
        private readonly Option<string> _password = PasswordOption();

        public SetPasswordCommand(CliEnvironment env) : base("set-password", "Set a user's password.", env)
        {
            Arguments.Add(_username);
            Options.Add(_password);
            this.WithExamples("parapet users set-password alice --password 'another-long-password'", "parapet users set-password alice --password - < password.txt");
        }

        protected override async Task RunAsync(CliContext context, CancellationToken ct)
        {
            var username = context.Parse.GetValue(_username)!;
            var body = new JsonObject { ["password"] = await ReadPasswordAsync(context, context.Parse.GetValue(_password)!, ct) };
            var response = await context.Admin.SendJsonAsync(HttpMethod.Put, PathOf(username) + "/password", body, ct);
            context.WriteResult(response.Body, $"Set the password of user '{username}'.");
        }
    }
}
