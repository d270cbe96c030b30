using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;

namespace Parapet.Cli.Config;

/// <summary><c>parapet config patch FILE</c>: sends a JSON Patch (RFC 6902) document as it is; Janssen's paths without '/' work too.</summary>
internal sealed class ConfigPatchCommand : AdminCommand
{
    private readonly Argument<string> _file = new("FILE") { Description = "A JSON Patch file, or - for standard input." };
    private readonly Option<long?> _revision = new("--if-revision") { Description = "Apply only if the properties are still at this revision (If-Match).", HelpName = "N" };

    public ConfigPatchCommand(CliEnvironment env)
        : base("patch", "Apply a JSON Patch document to the properties, validated as a whole: all of it applies or none.", env)
    {
        Arguments.Add(_file);
        Options.Add(_revision);
        this.WithExamples(
            "parapet config patch changes.json",
            "echo '[{\"op\":\"replace\",\"path\":\"/requirePar\",\"value\":true}]' | parapet config patch -",
            "parapet config patch changes.json --if-revision 7");
    }

    protected override async Task RunAsync(CliContext context, CancellationToken ct)
    {
        var file = context.Parse.GetValue(_file)!;
        var text = file == "-" ? await context.Env.In.ReadToEndAsync(ct) : await File.ReadAllTextAsync(file, ct);
        using var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json-patch+json") { CharSet = "utf-8" };
        var revision = context.Parse.GetValue(_revision);
        var updated = await context.Admin.SendAsync(HttpMethod.Patch, "/config", content, ct, revision is null ? null : $"\"{revision}\"");
        if (context.Json)
        {
            TextTable.WriteJson(context.Out, updated.Body);
            return;
        }
        context.Out.WriteLine($"Applied; the properties are now at revision {TextTable.Member(updated.Body, PropertyNames.Revision)}.");
    }
}
