using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parapet.Cli;

/// <summary>
/// Named connections to Parapet servers, kept in <c>profiles.json</c> (env <c>PARAPET_PROFILES</c>, else
/// <c>$XDG_CONFIG_HOME/parapet/profiles.json</c>, else <c>~/.config/parapet/profiles.json</c>), mode 0600 because it holds secrets.
/// </summary>
internal sealed class Profiles(CliEnvironment env)
{
    public string Path
    {
        get
        {
            if (env.VariableOrNull("PARAPET_PROFILES") is { } explicitPath)
            {
                return explicitPath;
            }
            var config = env.VariableOrNull("XDG_CONFIG_HOME")
                ?? System.IO.Path.Combine(env.VariableOrNull("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return System.IO.Path.Combine(config, "parapet", "profiles.json");
        }
    }

    public JsonObject ReadAll()
    {
        if (!File.Exists(Path))
        {
            return [];
        }
        try
        {
            return JsonNode.Parse(File.ReadAllText(Path))?["profiles"] as JsonObject ?? [];
        }
        catch (JsonException e)
        {
            throw new CliError($"{Path} is not valid JSON: {e.Message}");
        }
    }

    public Connection Get(string name)
    {
        var profile = ReadAll()[name] as JsonObject ?? throw new CliError($"No profile '{name}' in {Path}; 'parapet profiles add' creates one.");
        string Field(string member) => profile[member]?.GetValue<string>() ?? throw new CliError($"Profile '{name}' in {Path} has no '{member}'.");
        return new Connection(Field("server"), Field("client_id"), Field("client_secret"));
    }

    public void Save(JsonObject profiles)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(Path, options))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            new JsonObject { ["profiles"] = profiles.DeepClone() }.WriteTo(writer);
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
