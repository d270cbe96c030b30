using System.CommandLine;
using System.Text.Json.Nodes;

namespace Parapet.Cli;

/// <summary><c>parapet features list|enable FLAG|disable FLAG</c>: Janssen's feature flags, one at a time.</summary>
internal sealed class FeaturesCommand : Command
{
    private static readonly (string, string)[] Columns = [("FLAG", "flag"), ("ENABLED", "enabled"), ("IMPLEMENTED", "implemented")];

    public FeaturesCommand(CliEnvironment env)
        : base("features", "List, enable and disable feature flags (Janssen values: par, registration, userinfo, …).")
    {
        Subcommands.Add(new ListCommand(env));
        Subcommands.Add(new SwitchCommand("enable", true, env));
        Subcommands.Add(new SwitchCommand("disable", false, env));
        this.WithExamples("parapet features list", "parapet features disable par");
    }

    private sealed class ListCommand : AdminCommand
    {
        public ListCommand(CliEnvironment env)
            : base("list", "Show every feature flag, whether it is enabled, and whether Parapet implements it.", env) =>
            this.WithExamples("parapet features list", "parapet features list --json");

        protected override async Task RunAsync(CliContext context, CancellationToken ct) =>
            context.WriteList((await context.Admin.GetAsync("/config/features", ct)).Body, Columns);
    }

    private sealed class SwitchCommand : AdminCommand
    {
        private readonly Argument<string> _flag = new("FLAG") { Description = "The feature flag, e.g. par." };
        private readonly bool _enable;

        public SwitchCommand(string name, bool enable, CliEnvironment env)
            : base(name, enable ? "Enable a feature flag." : "Disable a feature flag; its endpoints answer 403 at once.", env)
        {
            _enable = enable;
            Arguments.Add(_flag);
            this.WithExamples($"parapet features {name} par");
        }

        protected override async Task RunAsync(CliContext context, CancellationToken ct)
        {
            var path = "/config/features/" + Uri.EscapeDataString(context.Parse.GetValue(_flag)!);
            var feature = (await context.Admin.SendAsync(_enable ? HttpMethod.Put : HttpMethod.Delete, path, null, ct)).Body;
            if (context.Json)
            {
                TextTable.WriteJson(context.Out, feature);
                return;
            }
            context.WriteList(new JsonArray(feature?.DeepClone()), Columns);
        }
    }
}
