using System.CommandLine;

namespace Parapet.Cli;

/// <summary><c>parapet audit</c>: who changed what and when, newest first (secrets are masked by the server).</summary>
internal sealed class AuditCommand : AdminCommand
{
    private readonly Option<string?> _actor = new("--actor") { Description = "Only changes by this admin client (or 'registration', 'registration:<token id>').", HelpName = "ID" };
    private readonly Option<string?> _target = new("--target") { Description = "Only changes of this property, client id or username.", HelpName = "NAME" };
    private readonly Option<string?> _action = new("--action") { Description = "Only this action, e.g. property.change, client.create, user.set-password.", HelpName = "ACTION" };
    private readonly Option<DateTimeOffset?> _since = new("--since") { Description = "Only changes at or after this time (ISO 8601).", HelpName = "TIME" };
    private readonly Option<int?> _limit = new("--limit") { Description = "At most this many entries (default 100).", HelpName = "N" };

    public AuditCommand(CliEnvironment env) : base("audit", "List the audit trail of admin changes, newest first.", env)
    {
        Options.Add(_actor);
        Options.Add(_target);
        Options.Add(_action);
        Options.Add(_since);
        Options.Add(_limit);
        this.WithExamples("parapet audit", "parapet audit --target requirePar", "parapet audit --actor registration --since 2026-11-01T00:00:00Z --json");
    }

    protected override async Task RunAsync(CliContext context, CancellationToken ct)
    {
        var query = new List<string>();
        void Add(string name, string? value)
        {
            if (value is not null)
            {
                query.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }
        Add("actor", context.Parse.GetValue(_actor));
        Add("target", context.Parse.GetValue(_target));
        Add("action", context.Parse.GetValue(_action));
        Add("since", context.Parse.GetValue(_since)?.ToString("O"));
        Add("limit", context.Parse.GetValue(_limit)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var path = "/audit" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        context.WriteList((await context.Admin.GetAsync(path, ct)).Body,
            ("AT", "at"), ("ACTOR", "actor"), ("ACTION", "action"), ("TARGET", "target"), ("BEFORE", "before"), ("AFTER", "after"));
    }
}
