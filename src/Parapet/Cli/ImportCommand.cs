using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parapet.Protocol.Janssen;
using Parapet.Protocol.Properties;

namespace Parapet.Cli;

/// <summary>
/// <c>parapet import janssen</c>: reads a Janssen configuration export and client JSON, applies what Parapet implements
/// (the properties in one revision), and prints what it changed and what it ignored, and why (DESIGN §3.3).
/// </summary>
internal sealed class ImportCommand : Command
{
    public ImportCommand(CliEnvironment env) : base("import", "Import configuration from another server.")
    {
        Subcommands.Add(new JanssenCommand(env));
        this.WithExamples("parapet import janssen --config jans-auth-config.json --clients clients.json --dry-run");
    }

    private sealed class JanssenCommand : AdminCommand
    {
        private readonly Option<FileInfo?> _config = new("--config") { Description = "The JSON of GET /jans-config-api/api/v1/jans-auth-server/config.", HelpName = "FILE" };
        private readonly Option<FileInfo?> _clients = new("--clients") { Description = "Janssen clients: a JSON array, or the config API's paged answer with 'entries'.", HelpName = "FILE" };
        private readonly Option<bool> _dryRun = new("--dry-run") { Description = "Show what would change; change nothing." };

        public JanssenCommand(CliEnvironment env)
            : base("janssen", "Import a Janssen auth-server configuration export and Janssen clients.", env)
        {
            Options.Add(_config);
            Options.Add(_clients);
            Options.Add(_dryRun);
            this.WithExamples(
                "parapet import janssen --config jans-auth-config.json --dry-run",
                "parapet import janssen --config jans-auth-config.json --clients clients.json");
        }

        protected override async Task RunAsync(CliContext context, CancellationToken ct)
        {
            var configFile = context.Parse.GetValue(_config);
            var clientsFile = context.Parse.GetValue(_clients);
            var dryRun = context.Parse.GetValue(_dryRun);
            if (configFile is null && clientsFile is null)
            {
                throw new CliError("Give --config FILE, --clients FILE, or both.");
            }
            var report = new JsonObject { ["dry_run"] = dryRun };
            if (configFile is not null)
            {
                report["properties"] = await ImportConfigAsync(context, ReadJson(configFile) as JsonObject
                    ?? throw new CliError($"{configFile.Name} is not a JSON object."), dryRun, ct);
            }
            if (clientsFile is not null)
            {
                report["clients"] = await ImportClientsAsync(context, ReadJson(clientsFile), dryRun, ct);
            }
            if (context.Json)
            {
                TextTable.WriteJson(context.Out, report);
            }
        }

        private static async Task<JsonObject> ImportConfigAsync(CliContext context, JsonObject janssen, bool dryRun, CancellationToken ct)
        {
            var current = await context.Admin.GetAsync("/config", ct);
            var document = (JsonObject)current.Body!.DeepClone();
            document.Remove("revision");
            var parsed = PropertyDocument.Parse(document);
            if (parsed.Failed)
            {
                throw new CliError($"The server's properties could not be read: {parsed.Error!.Description}");
            }
            var plan = JanssenConfigImport.Plan(janssen, parsed.Value!);
            if (plan.Failed)
            {
                throw new CliError($"The Janssen configuration cannot be imported: {plan.Error!.Description}");
            }
            var (result, changed, ignored) = plan.Value!;
            if (!context.Json)
            {
                context.Out.WriteLine(dryRun ? "Properties that would change:" : "Properties changed:");
                TextTable.Write(context.Out, ["PROPERTY", "CHANGE"], changed.Select(n => (IReadOnlyList<string>)[n.Name, n.Detail]));
                context.Out.WriteLine("Ignored:");
                TextTable.Write(context.Out, ["JANSSEN", "WHY"], ignored.Select(n => (IReadOnlyList<string>)[n.Name, n.Detail]));
            }
            var resultJson = PropertyDocument.ToJson(result);
            var patch = new JsonArray(changed.Select(n => n.Name).Distinct()
                .Select(name => (JsonNode)new JsonObject { ["op"] = "replace", ["path"] = "/" + name, ["value"] = resultJson[name]?.DeepClone() })
                .ToArray());
            if (!dryRun && patch.Count > 0)
            {
                // One patch, one revision, guarded by the revision the plan was made from.
                await context.Admin.SendJsonAsync(HttpMethod.Patch, "/config", patch, ct, "application/json-patch+json", current.ETag);
            }
            return new JsonObject
            {
                ["changed"] = Notes(changed),
                ["ignored"] = Notes(ignored),
            };
        }

        private static async Task<JsonArray> ImportClientsAsync(CliContext context, JsonNode? clients, bool dryRun, CancellationToken ct)
        {
            var entries = clients as JsonArray ?? (clients?["entries"] as JsonArray) ?? throw new CliError("The clients file must be a JSON array or an object with 'entries'.");
            var results = new JsonArray();
            var rows = new List<IReadOnlyList<string>>();
            foreach (var entry in entries.OfType<JsonObject>())
            {
                var (metadata, ignored) = JanssenClientImport.Map(entry);
                var id = metadata.ClientId ?? "(new)";
                string outcome;
                if (dryRun)
                {
                    outcome = "would be created";
                }
                else
                {
                    try
                    {
                        var created = await context.Admin.SendJsonAsync(HttpMethod.Post, "/clients", JsonSerializer.SerializeToNode(metadata, SkipNulls)!, ct);
                        outcome = created.Body?["client_secret"] is { } secret ? $"created; new client_secret: {secret.GetValue<string>()}" : "created";
                    }
                    catch (CliError e)
                    {
                        outcome = "refused: " + e.Message;
                    }
                }
                rows.Add([id, outcome, string.Join("; ", ignored.Select(i => $"{i.Name} ({i.Detail})"))]);
                results.Add(new JsonObject { ["client_id"] = id, ["outcome"] = outcome, ["ignored"] = Notes(ignored) });
            }
            if (!context.Json)
            {
                context.Out.WriteLine("Clients:");
                TextTable.Write(context.Out, ["CLIENT_ID", "OUTCOME", "IGNORED"], rows);
            }
            return results;
        }

        private static readonly JsonSerializerOptions SkipNulls = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

        private static JsonArray Notes(IEnumerable<ImportNote> notes) =>
            new(notes.Select(n => (JsonNode)new JsonObject { ["name"] = n.Name, ["detail"] = n.Detail }).ToArray());

        private static JsonNode? ReadJson(FileInfo file)
        {
            try
            {
                return JsonNode.Parse(File.ReadAllText(file.FullName));
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                throw new CliError($"Cannot read {file.FullName}: {e.Message}");
            }
        }
    }
}
