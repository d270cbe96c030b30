using System.CommandLine;
using System.Text.Json.Nodes;

namespace Parapet.Cli.Config;

/// <summary><c>parapet config get [NAME]</c>: one property's value, or every property as a table.</summary>
internal sealed class ConfigGetCommand : AdminCommand
{
    private readonly Argument<string?> _name = new("NAME") { Description = "A property name, e.g. requirePar; omit for all.", Arity = ArgumentArity.ZeroOrOne };

    public ConfigGetCommand(CliEnvironment env)
        : base("get", "Show one property's value, or all properties with the current revision.", env)
    {
        Arguments.Add(_name);
        this.WithExamples("parapet config get", "parapet config get defaultParLifetime", "parapet config get --json > properties.json");
    }

    protected override async Task RunAsync(CliContext context, CancellationToken ct)
    {
        var document = (await context.Admin.GetAsync("/config", ct)).Body as JsonObject
            ?? throw new CliError("The server answered GET /admin/v1/config without a JSON object.");
        var name = context.Parse.GetValue(_name);
        if (name is null)
        {
            if (context.Json)
            {
                TextTable.WriteJson(context.Out, document);
            }
            else
            {
                TextTable.WriteObject(context.Out, document);
            }
            return;
        }
        var value = document[PropertyNames.Resolve(document, name, allowRevision: true)];
        if (context.Json)
        {
            TextTable.WriteJson(context.Out, value);
        }
        else
        {
            context.Out.WriteLine(TextTable.Format(value));
        }
    }
}
