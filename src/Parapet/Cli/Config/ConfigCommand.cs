using System.CommandLine;

namespace Parapet.Cli.Config;

/// <summary><c>parapet config</c>: the server properties, by their Janssen names.</summary>
internal sealed class ConfigCommand : Command
{
    public ConfigCommand(CliEnvironment env)
        : base("config", "Read and change the server properties (Janssen names); changes apply live, without a restart.")
    {
        Subcommands.Add(new ConfigGetCommand(env));
        Subcommands.Add(new ConfigSetCommand(env));
        Subcommands.Add(new ConfigPatchCommand(env));
        this.WithExamples("parapet config get", "parapet config set requirePar true", "parapet config patch changes.json");
    }
}
